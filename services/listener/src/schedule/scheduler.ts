import { computeBackoff, mathRandom, missedOccurrences, nextOccurrences, type BackoffPolicy, type Clock } from '@outrun/engine';
import type { RunLifecycle } from '@outrun/queue';
import type { CreateRunInput, Store } from '@outrun/store';
import { OperationalError, type Run } from '@outrun/schemas';
import type { Logger } from '@outrun/config';
import type { ScheduleEntry } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { MinHeap } from '@outrun/queue';

/** One occurrence to fire. */
interface Due {
  /** The schedule's key on the wheel. */
  key: string;
  entry: ScheduleEntry;
  /** The occurrence instant (epoch ms). */
  occurrence: number;
}

/** A run recorded ahead of its occurrence (not yet due); withdrawn if its schedule goes away before then. */
interface StagedRun {
  workspaceId: string;
  runId: string;
  due: number;
  withdrawn: boolean;
}

interface Slot {
  key: string;
  entry: ScheduleEntry;
  /** The occurrence instant (epoch ms); `due` equals it. */
  due: number;
}

export interface SchedulerDeps {
  store: Store;
  /** Accepts occurrences as runs, announces them when due, withdraws staged ones. */
  lifecycle: RunLifecycle;
  clock: Clock;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /**
   * Observes, per occurrence, when its fire started and when its run was recorded and queued, in ms after the
   * due instant (negative: staged that long ahead).
   */
  observeLag?: (startLagMs: number, queuedLagMs: number) => void;
  /**
   * Occurrences are staged this long before they are due: the run is recorded (`queued`, `resumeAt` = the
   * occurrence) and its job queued delayed until the due instant, so a thousand schedules due in the same
   * second are runnable at that second instead of after the time it takes to record and queue them all.
   * Pausing or editing a schedule withdraws its staged, not yet due run. 0 fires at the due instant. @default 1000
   */
  leadMs?: number;
  /** Fires started at once (SQLite work is synchronous; concurrency overlaps the Redis round trips). @default 1024 */
  maxInFlight?: number;
  /**
   * Occurrences due in the same tick are started in batches of up to this many (one queue round trip each,
   * all batches in flight at once; smaller batches let the queue's replies stream back sooner). @default 100
   */
  maxBatch?: number;
}

/** Longest wait between two attempts to start (or book) an occurrence while the queue or store is down. */
/** Waits between attempts of a failed schedule batch: 500 ms doubling up to 2 s, ±20 %. */
const RETRY_BACKOFF: BackoffPolicy = { backoffStrategy: 'exponential', initialDelay: 500, maxDelay: 2000, jitter: 0.2 };

/** The run idempotency key of one occurrence: shared by every listener process, so only one run exists. */
export const scheduleIdempotencyKey = (triggerId: string, occurrenceIso: string): string => `sched:${triggerId}:${occurrenceIso}`;

/**
 * Fires schedule triggers from ONE timer (a min-heap of next occurrences and a single `clock.sleep` to the
 * earliest), not one timer per schedule. Every occurrence becomes a run keyed `sched:<trigger>:<iso>` (several
 * listener processes create it once) and advances the trigger's last fired occurrence (catch-up after downtime).
 */
export class Scheduler {
  private readonly heap = new MinHeap<Slot>((a, b) => a.due < b.due);
  private readonly slots = new Map<string, Slot>();
  private wake = new AbortController();
  private closed = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Occurrences being fired (the in-flight cap counts these, not batches). */
  private inFlightFires = 0;
  /** Staged runs not yet due, per schedule key. */
  private readonly staged = new Map<string, StagedRun[]>();
  /** Announcements waiting for their due instant (settled on close). */
  private readonly announcing = new Set<Promise<void>>();
  /**
   * Occurrences being started whose run is not recorded yet, per schedule key. The last fired occurrence never
   * moves past one of them: a newer occurrence recorded first must not hide an older one that is still retrying
   * (or was abandoned by a shutdown) from the catch-up of the next start.
   */
  private readonly unrecorded = new Map<string, Set<number>>();
  private readonly leadMs: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.leadMs = Math.max(0, deps.leadMs ?? 1000);
  }

  /**
   * Applies a new set of schedules. Unchanged ones keep their next occurrence; new or edited ones start from
   * now. With `catchUp` (listener start), each new schedule first fires what it missed per its policy.
   */
  async sync(schedules: ReadonlyMap<string, ScheduleEntry>, options: { catchUp: boolean }): Promise<void> {
    const now = this.deps.clock.now();
    const withdrawals: Array<Promise<void>> = [];
    for (const key of [...this.slots.keys()]) {
      if (schedules.has(key)) continue;
      this.slots.delete(key);
      withdrawals.push(this.withdraw(key));
    }
    const catchUps: Array<Promise<void>> = [];
    for (const [key, entry] of schedules) {
      const existing = this.slots.get(key);
      if (existing && existing.entry.signature === entry.signature) {
        const newVersion = existing.entry.workflowVersion !== entry.workflowVersion;
        existing.entry = entry; // a new workflow version pins future runs to it
        // An occurrence already staged on the old version is staged again on the new one (an edit takes effect
        // for the next fire, as it did when runs were only recorded at the due instant).
        if (newVersion && this.staged.has(key)) {
          await this.withdraw(key);
          this.plan(key, entry, now);
        }
        continue;
      }
      // Withdraw before planning: the same occurrence staged again gets a fresh run under the new definition.
      if (existing) await this.withdraw(key);
      if (options.catchUp) catchUps.push(this.catchUp(key, entry, now));
      this.plan(key, entry, now);
    }
    await Promise.all([...catchUps, ...withdrawals]);
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
    await Promise.all(this.announcing); // staged runs still fire (their jobs are durable): count them now
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

  private async catchUp(key: string, entry: ScheduleEntry, now: number): Promise<void> {
    const { catchUp, catchUpLimit, timezone } = entry.config;
    if (catchUp === 'none') return;
    try {
      const last = await this.deps.store.triggers.getLastFiredOccurrence(entry.workspaceId, entry.triggerId);
      if (last === null) return; // never fired: nothing was missed
      const missed = missedOccurrences(entry.cron, timezone, Date.parse(last), now, catchUp === 'latest' ? 1 : catchUpLimit);
      // In order: the compare-and-set on the last fired occurrence only moves forward.
      for (const occurrence of missed) await this.fire([{ key, entry, occurrence }]);
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
      const delay = top ? top.due - this.leadMs - clock.now() : 3_600_000;
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

  /** Pops every occurrence due within the lead time (up to the in-flight cap) and fires them together. */
  private dispatchDue(): void {
    const horizon = this.deps.clock.now() + this.leadMs;
    const max = this.deps.maxInFlight ?? 1024;
    const due: Due[] = [];
    for (let top = this.heap.peek(); top && top.due <= horizon && this.inFlightFires + due.length < max; top = this.heap.peek()) {
      this.heap.pop();
      if (this.slots.get(top.key) !== top) continue;
      this.plan(top.key, top.entry, top.due);
      due.push({ key: top.key, entry: top.entry, occurrence: top.due });
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
   * then does the bookkeeping (last fired occurrence; stats and live event at the due instant) only once every
   * batch is queued, so it never delays a later batch. Runs are idempotent across processes: a retry or another
   * listener only finds them. A failed batch accepted nothing and is retried whole.
   */
  private async fire(due: Due[]): Promise<void> {
    const size = Math.max(1, this.deps.maxBatch ?? 100);
    const batches: Due[][] = [];
    for (let i = 0; i < due.length; i += size) batches.push(due.slice(i, i + size));
    for (const { key, occurrence } of due) pushToSet(this.unrecorded, key, occurrence);
    const started = await Promise.all(
      batches.map(async (batch) => {
        const result = await this.retrying(batch, 'start', () => this.startBatch(batch));
        // Recorded, or given up on (a permanent error): either way no longer holds the last fired occurrence back.
        // Abandoned by a shutdown: kept, so nothing newer is booked past it.
        if (result !== undefined || !this.closed) for (const { key, occurrence } of batch) deleteFromSet(this.unrecorded, key, occurrence);
        return result;
      }),
    );
    const fresh = batches.flatMap((batch, b) => batch.flatMap((item, i) => (started[b]?.[i]?.created ? [{ ...item, run: started[b]![i]!.run }] : [])));
    this.announceWhenDue(fresh);
    await Promise.all(batches.map((batch, b) => started[b] && this.retrying(batch, 'bookkeeping', () => Promise.all(batch.map((item) => this.advance(item))))));
  }

  /** Records and queues one batch's runs (staged when not yet due); observes their lag. */
  private async startBatch(batch: Due[]): Promise<Array<{ run: Run; created: boolean }>> {
    const { clock } = this.deps;
    const startLags = batch.map(({ occurrence }) => clock.now() - occurrence);
    const items = batch.map(({ entry, occurrence }) => ({ workspaceId: entry.workspaceId, input: runInput(entry, occurrence), notBefore: occurrence }));
    const results = await this.deps.lifecycle.acceptMany(items, { announce: 'later' }); // announced when due
    const done = clock.now();
    batch.forEach(({ occurrence }, i) => this.deps.observeLag?.(startLags[i]!, done - occurrence));
    return results;
  }

  /**
   * Runs `work` for a batch with backoff (1 attempt once closing); undefined when it gave up. A transient failure
   * (OperationalError: the queue or the store is down) is retried until it succeeds or the listener closes — giving
   * up would lose the occurrence, since later ones move the last fired occurrence past it; runs are keyed by
   * occurrence, so a retry is idempotent, and `maxInFlight` bounds how many fires wait. Anything else: 5 attempts.
   */
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
        if (attempt >= 5 && !(err instanceof OperationalError)) {
          this.deps.logger.error(context, `schedule ${what} failed after 5 attempts`);
          return undefined;
        }
        // Every attempt of the first five, then one line in ten: an outage of minutes must not flood the log.
        if (attempt <= 5 || attempt % 10 === 0) this.deps.logger.warn(context, `schedule ${what} failed; retrying`);
        await clock.sleep(computeBackoff(RETRY_BACKOFF, attempt, mathRandom), this.stopping.signal).catch(() => undefined);
      }
    }
    return undefined;
  }

  /** Advances the trigger's last fired occurrence (a restart's catch-up starts after it). */
  private async advance({ key, entry, occurrence }: Due): Promise<void> {
    for (const older of this.unrecorded.get(key) ?? []) if (older < occurrence) return; // see `unrecorded`
    await this.deps.store.triggers.advanceLastFiredOccurrence(entry.workspaceId, entry.triggerId, new Date(occurrence).toISOString());
  }

  /**
   * Counts and announces fresh runs at their due instant (one sleep per distinct instant); staged runs are
   * remembered until then so a pause or edit can withdraw them, and a withdrawn run is never announced.
   */
  private announceWhenDue(fresh: Array<Due & { run: Run }>): void {
    const byDue = new Map<number, Array<Due & { run: Run; staged: StagedRun }>>();
    for (const item of fresh) {
      const staged: StagedRun = { workspaceId: item.run.workspaceId, runId: item.run.id, due: item.occurrence, withdrawn: false };
      if (item.run.resumeAt !== undefined) pushTo(this.staged, item.key, staged);
      pushTo(byDue, item.occurrence, { ...item, staged });
    }
    for (const [due, items] of byDue) {
      const wait = due - this.deps.clock.now();
      const task = (wait > 0 ? this.deps.clock.sleep(wait, this.stopping.signal).catch(() => undefined) : Promise.resolve()).then(async () => {
        // In slices, yielding first: the due instant's queue wake-up and I/O go before a thousand announcements.
        for (let i = 0; i < items.length; i += 100) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          for (const item of items.slice(i, i + 100)) this.announce(item);
        }
      });
      this.announcing.add(task);
      void task.finally(() => this.announcing.delete(task));
    }
  }

  private announce({ key, entry, occurrence, run, staged }: Due & { run: Run; staged: StagedRun }): void {
    const rest = (this.staged.get(key) ?? []).filter((s) => s !== staged);
    if (rest.length > 0) this.staged.set(key, rest);
    else this.staged.delete(key);
    if (staged.withdrawn) return;
    const { stats } = this.deps;
    this.deps.lifecycle.announce(run);
    stats.count(entry.workspaceId, entry.triggerId, 'fires', new Date(occurrence).toISOString());
    stats.count(entry.workspaceId, entry.triggerId, 'runsStarted');
  }

  /**
   * Withdraws the staged, not yet due runs of a schedule that was removed, paused or edited: their delayed jobs
   * are cancelled and the runs discarded (only while still `queued`: one a runner already started stays).
   */
  private async withdraw(key: string): Promise<void> {
    const { clock, lifecycle, logger } = this.deps;
    const pending = (this.staged.get(key) ?? []).filter((s) => !s.withdrawn && s.due > clock.now());
    for (const s of pending) s.withdrawn = true;
    await Promise.all(pending.map(async (s) => {
      try {
        await lifecycle.withdraw(s.workspaceId, s.runId, s.due);
      } catch (err) {
        logger.warn({ err, runId: s.runId }, 'a staged schedule run could not be withdrawn; it will run');
      }
    }));
  }
}

function pushToSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function deleteFromSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) map.delete(key);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
