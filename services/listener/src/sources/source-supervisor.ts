/**
 * Keeps one `EventSourceRunner` open per active event-source trigger, following the trigger index: a trigger
 * paused (or its workflow paused) closes its source, resumed reopens it from its saved position.
 */
import { resolveTrigger, type Connector } from '@outrun/connector-kit';
import { ErrorCode } from '@outrun/schemas';
import type { SourceEntry } from '../triggers/trigger-index';
import { EventSourceRunner, type EventSourceRunnerDeps } from './event-source-runner';

export class SourceSupervisor {
  private readonly running = new Map<string, EventSourceRunner>();
  private closed = false;

  constructor(
    private readonly connectors: readonly Connector[],
    private readonly deps: EventSourceRunnerDeps,
  ) {}

  /** Open sources (tests, metrics). */
  get size(): number {
    return this.running.size;
  }

  runner(key: string): EventSourceRunner | undefined {
    return this.running.get(key);
  }

  /** Brings the open sources in line with the index. */
  async sync(sources: ReadonlyMap<string, SourceEntry>): Promise<void> {
    if (this.closed) return;
    const closing: Promise<void>[] = [];
    for (const [key, runner] of this.running) {
      const entry = sources.get(key);
      const next = entry ? this.create(entry) : undefined;
      if (entry && next && next.signature === runner.signature) {
        runner.retarget(entry);
        continue;
      }
      this.running.delete(key);
      closing.push(runner.close());
    }
    await Promise.all(closing);
    for (const [key, entry] of sources) {
      if (this.running.has(key)) continue;
      const runner = this.create(entry);
      if (!runner) continue;
      this.running.set(key, runner);
      runner.start();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const runners = [...this.running.values()];
    this.running.clear();
    await Promise.all(runners.map((r) => r.close()));
  }

  private create(entry: SourceEntry): EventSourceRunner | undefined {
    try {
      return new EventSourceRunner(entry, resolveTrigger(this.connectors, entry.config.source), this.deps);
    } catch (err) {
      const code = (err as { code?: string }).code ?? ErrorCode.CONNECTOR_NOT_INSTALLED;
      this.deps.stats.error(entry.workspaceId, entry.triggerId, { code, message: (err as Error).message, at: new Date(this.deps.clock.now()).toISOString() });
      return undefined;
    }
  }
}
