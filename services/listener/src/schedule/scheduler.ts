import { missedOccurrences, nextOccurrences, type Clock } from '@outrun/engine';
import { startRuns, type EventBus, type RunQueue } from '@outrun/queue';
import type { CreateRunInput, Store } from '@outrun/store';
import type { Run } from '@outrun/schemas';
import type { Logger } from '@outrun/config';
import type { ScheduleEntry } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { MinHeap } from './min-heap';
import { publishQueued } from '../publish-queued';

/** One occurrence to fire. */
interface Due {
  entry: ScheduleEntry;
  /** The occurrence instant (epoch ms). */
  occurrence: number;
}

interface Slot {
  key: string;
  entry: ScheduleEntry;
  /** The occurrence instant (epoch ms); `due` equals it. */
  due: number;
}

export interface SchedulerDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  clock: Clock;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /** Observes how late each fire started and when its run was recorded (ms after the occurrence). */
  observeLag?: (startLagMs: number, recordedLagMs: number) => void;
  /** Fires started at once (SQLite work is synchronous; concurrency overlaps the Redis round trips). @default 1024 */
  maxInFlight?: number;
  /**
   * Occurrences due in the same tick are started in batches of up to this many (one queue round trip each,
   * all batches in flight at once; smaller batches let the queue's replies stream back sooner). @default 100
   */
  maxBatch?: number;
}

/** The run idempotency key of one occurrence: shared by every listener process, so only one run exists. */
export const scheduleIdempotencyKey = (triggerId: string, occurrenceIso: string): string => `sched:${triggerId}:${occurrenceIso}`;

/**
 * Fires schedule triggers from ONE timer (a min-heap of next occurrences and a single `clock.sleep` to the
 * earliest), not one timer per schedule. Every occurrence becomes a run keyed `sched:<trigger>:<iso>` (several
 * listener processes create it once) and advances the trigger's last fired occurrence (catch-up after downtime).
 */
export class Scheduler {
  private readonly heap = new MinHeap<Slot>();
  private readonly slots = new Map<string, Slot>();
  private wake = new AbortController();
  private closed = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Occurrences being fired (the in-flight cap counts these, not batches). */
  private inFlightFires = 0;

  constructor(private readonly deps: SchedulerDeps) {}

  /**
   * Applies a new set of schedules. Unchanged ones keep their next occurrence; new or edited ones start from
   * now. With `catchUp` (listener start), each new schedule first fires what it missed per its policy.
   */
  async sync(schedules: ReadonlyMap<string, ScheduleEntry>, options: { catchUp: boolean }): Promise<void> {
    const now = this.deps.clock.now();
    for (const key of [...this.slots.keys()]) if (!schedules.has(key)) this.slots.delete(key);
    const catchUps: Array<Promise<void>> = [];
    for (const [key, entry] of schedules) {
      const existing = this.slots.get(key);
      if (existing && existing.entry.signature === entry.signature) {
        existing.entry = entry; // a new workflow version pins future runs to it
        continue;
      }
      if (options.catchUp) catchUps.push(this.catchUp(entry, now));
      this.plan(key, entry, now);
    }
    await Promise.all(catchUps);
    this.wake.abort();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    this.wake.abort();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  /** Next due instant per schedule key (tests, /metrics). */
  pending(): number {
    return this.slots.size;
  }

  private plan(key: string, entry: ScheduleEntry, afterMs: number): void {
    const [next] = nextOccurrences(entry.cron, entry.config.timezone, afterMs, 1);
    if (next === undefined) {
      this.slots.delete(key);
      return;
    }
    const slot: Slot = { key, entry, due: next };
    this.slots.set(key, slot);
    this.heap.push(slot);
  }

  private async catchUp(entry: ScheduleEntry, now: number): Promise<void> {
    const { catchUp, catchUpLimit, timezone } = entry.config;
    if (catchUp === 'none') return;
    try {
      const last = await this.deps.store.triggers.getLastFiredOccurrence(entry.workspaceId, entry.triggerId);
      if (last === null) return; // never fired: nothing was missed
      const missed = missedOccurrences(entry.cron, timezone, Date.parse(last), now, catchUp === 'latest' ? 1 : catchUpLimit);
      // In order: the compare-and-set on the last fired occurrence only moves forward.
      for (const occurrence of missed) await this.fire([{ entry, occurrence }]);
    } catch (err) {
      this.deps.logger.warn({ err, triggerId: entry.triggerId }, 'schedule catch-up failed');
    }
  }

  private async run(): Promise<void> {
    const { clock } = this.deps;
    while (!this.closed) {
      const top = this.heap.peek();
      if (top && this.slots.get(top.key) !== top) {
        this.heap.pop(); // superseded (schedule removed or edited)
        continue;
      }
      const delay = top ? top.due - clock.now() : 3_600_000;
      if (delay > 0) {
        if (this.wake.signal.aborted) this.wake = new AbortController();
        await clock.sleep(delay, this.wake.signal).catch(() => undefined);
        continue;
      }
      this.dispatchDue();
      // At the in-flight cap, wait for a fire to finish; otherwise yield so I/O is never starved.
      if (this.inFlightFires >= (this.deps.maxInFlight ?? 1024)) await Promise.race(this.inFlight);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Pops every due occurrence (up to the in-flight cap) and fires them together. */
  private dispatchDue(): void {
    const now = this.deps.clock.now();
    const max = this.deps.maxInFlight ?? 1024;
    const due: Due[] = [];
    for (let top = this.heap.peek(); top && top.due <= now && this.inFlightFires + due.length < max; top = this.heap.peek()) {
      this.heap.pop();
      if (this.slots.get(top.key) !== top) continue;
      this.plan(top.key, top.entry, top.due);
      due.push({ entry: top.entry, occurrence: top.due });
    }
    if (due.length === 0) return;
    this.inFlightFires += due.length;
    const task = this.fire(due).finally(() => {
      this.inFlight.delete(task);
      this.inFlightFires -= due.length;
    });
    this.inFlight.add(task);
  }

  /**
   * Starts the occurrences' runs in batches of `maxBatch` (one queue round trip each, all in flight at once),
   * then does the bookkeeping (last fired occurrence, stats, live event) only once every batch is queued, so
   * it never delays a later batch. Runs are idempotent across processes: a retry or another listener only
   * finds them. A failed batch accepted nothing and is retried whole.
   */
  private async fire(due: Due[]): Promise<void> {
    const size = Math.max(1, this.deps.maxBatch ?? 100);
    const batches: Due[][] = [];
    for (let i = 0; i < due.length; i += size) batches.push(due.slice(i, i + size));
    const started = await Promise.all(batches.map((batch) => this.retrying(batch, 'start', () => this.startBatch(batch))));
    await Promise.all(batches.map((batch, b) => {
      const results = started[b];
      return results && this.retrying(batch, 'bookkeeping', () => Promise.all(batch.map((item, i) => this.afterFire(item, results[i]!))));
    }));
  }

  /** Records and queues one batch's runs; observes their lag. */
  private async startBatch(batch: Due[]): Promise<Array<{ run: Run; created: boolean }>> {
    const { clock } = this.deps;
    const startLags = batch.map(({ occurrence }) => clock.now() - occurrence);
    const results = await startRuns({ runs: this.deps.store.runs, queue: this.deps.queue }, batch.map(({ entry, occurrence }) => ({ workspaceId: entry.workspaceId, input: runInput(entry, occurrence) })));
    const done = clock.now();
    batch.forEach(({ occurrence }, i) => this.deps.observeLag?.(startLags[i]!, done - occurrence));
    return results;
  }

  /** Runs `work` for a batch up to 5 times with backoff (1 attempt once closing); undefined when it gave up. */
  private async retrying<T>(batch: Due[], what: string, work: () => Promise<T>): Promise<T | undefined> {
    const { clock } = this.deps;
    for (let attempt = 1; !this.closed || attempt === 1; attempt++) {
      try {
        return await work();
      } catch (err) {
        const error = err as { code?: string; message?: string };
        const at = new Date(clock.now()).toISOString();
        for (const { entry } of batch) this.deps.stats.error(entry.workspaceId, entry.triggerId, { code: error.code ?? 'OUT_ERR_INTERNAL', message: error.message ?? String(err), at });
        const context = { err, triggerIds: batch.map(({ entry }) => entry.triggerId), occurrences: batch.length, attempt };
        if (attempt >= 5) {
          this.deps.logger.error(context, `schedule ${what} failed after 5 attempts`);
          return undefined;
        }
        this.deps.logger.warn(context, `schedule ${what} failed; retrying`);
        await clock.sleep(250 * 2 ** attempt, this.stopping.signal).catch(() => undefined);
      }
    }
    return undefined;
  }

  /** Advances the trigger's last fired occurrence; counts and announces a fresh run. */
  private async afterFire({ entry, occurrence }: Due, { run, created }: { run: Run; created: boolean }): Promise<void> {
    const { clock, store, stats } = this.deps;
    await store.triggers.advanceLastFiredOccurrence(entry.workspaceId, entry.triggerId, new Date(occurrence).toISOString());
    if (created) {
      publishQueued(this.deps.events, run);
      stats.count(entry.workspaceId, entry.triggerId, 'fires', new Date(clock.now()).toISOString());
      stats.count(entry.workspaceId, entry.triggerId, 'runsStarted');
    }
  }
}

/** The run of one occurrence, keyed so every listener process creates it once. */
function runInput(entry: ScheduleEntry, occurrence: number): CreateRunInput {
  const iso = new Date(occurrence).toISOString();
  const { cron, timezone } = entry.config;
  return {
    workflowId: entry.workflowId,
    workflowVersion: entry.workflowVersion,
    triggeredBy: { type: 'schedule', source: `cron:${cron}`, triggerId: entry.triggerId, payload: { scheduledAt: iso, cron, timezone } },
    idempotencyKey: scheduleIdempotencyKey(entry.triggerId, iso),
  };
}
