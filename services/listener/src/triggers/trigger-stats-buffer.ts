import type { TriggerStatCounter } from '@outrun/schemas';
import type { TriggerStateStore } from '@outrun/store';
import type { Logger } from '@outrun/config';

interface Pending {
  workspaceId: string;
  triggerId: string;
  counts: Partial<Record<TriggerStatCounter, number>>;
  lastFiredAt?: string;
  lastError?: { code: string; message: string; at: string };
}

/**
 * Trigger statistics aggregated in memory and written every `intervalMs`, so a burst of webhooks costs one
 * store write per trigger and counter per second instead of one per request. Flushed on close.
 */
export class TriggerStatsBuffer {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: TriggerStateStore,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  private entry(workspaceId: string, triggerId: string): Pending {
    const key = `${workspaceId}/${triggerId}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { workspaceId, triggerId, counts: {} }));
    return p;
  }

  count(workspaceId: string, triggerId: string, counter: TriggerStatCounter, at?: string): void {
    const p = this.entry(workspaceId, triggerId);
    p.counts[counter] = (p.counts[counter] ?? 0) + 1;
    if (counter === 'fires' && at !== undefined && (p.lastFiredAt === undefined || at > p.lastFiredAt)) p.lastFiredAt = at;
  }

  /** Keeps the newest error and counts every one (`errors`). */
  error(workspaceId: string, triggerId: string, error: { code: string; message: string; at: string }): void {
    const p = this.entry(workspaceId, triggerId);
    p.lastError = error;
    p.counts.errors = (p.counts.errors ?? 0) + 1;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes everything pending; on failure the counts are merged back and retried next time. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    for (const p of batch.values()) {
      try {
        // The error first: a reader that sees the new counts also sees the error that came with them.
        if (p.lastError) await this.store.recordTriggerError(p.workspaceId, p.triggerId, p.lastError);
        delete p.lastError;
        for (const [counter, by] of Object.entries(p.counts) as Array<[TriggerStatCounter, number]>) {
          const at = counter === 'fires' ? p.lastFiredAt : undefined;
          await this.store.incrementTriggerStat(p.workspaceId, p.triggerId, counter, at === undefined ? { by } : { by, at });
          delete p.counts[counter];
        }
      } catch (err) {
        this.logger.warn({ err, triggerId: p.triggerId }, 'trigger stats write failed; will retry');
        const back = this.entry(p.workspaceId, p.triggerId);
        for (const [counter, by] of Object.entries(p.counts) as Array<[TriggerStatCounter, number]>) back.counts[counter] = (back.counts[counter] ?? 0) + by;
        if (p.lastFiredAt !== undefined && (back.lastFiredAt === undefined || p.lastFiredAt > back.lastFiredAt)) back.lastFiredAt = p.lastFiredAt;
        if (p.lastError && !back.lastError) back.lastError = p.lastError;
      }
    }
  }
}
