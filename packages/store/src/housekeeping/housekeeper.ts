/**
 * The housekeeper: per-workspace run retention (age and count), version pruning beyond the kept history, and
 * giving freed SQLite pages back to the file system. Every process may start one; only the holder of the store's
 * `housekeeping` lease works, so an installation runs it exactly once per interval whatever its mode.
 *
 * Deletion goes through `RunStore.deleteRunsFinishedBefore` in chunks: the cutoff of each call is the `finishedAt`
 * of the `chunk`-th oldest finished run, so one call deletes at most about `chunk` runs and the event loop is
 * yielded between calls — webhooks and runners keep writing while a year of history is trimmed.
 */
import { randomUUID } from 'node:crypto';
import type { LimitsResolver, Logger } from '@outrun/config';
import { systemClock, type Clock } from '@outrun/schemas';
import type { Store } from '../ports';

export interface HousekeeperOptions {
  store: Store;
  limits: LimitsResolver;
  logger?: Logger;
  /** How often a round starts, ms; 0 = only `runOnce`. @default 300000 */
  intervalMs?: number;
  /** Runs deleted per call at most (about). @default 1000 */
  chunk?: number;
  /** Pages given back per `incremental_vacuum` step (4 KiB each), repeated until nothing is left. @default 2048 */
  vacuumPages?: number;
  /** Identity of this process for the lease. @default a random UUID */
  holder?: string;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
}

export interface HousekeepingReport {
  /** False when another process holds the lease (nothing was done). */
  ran: boolean;
  workspaces: number;
  deletedRuns: number;
  prunedVersions: number;
  freedPages: number;
  ms: number;
}

export interface Housekeeper {
  runOnce(): Promise<HousekeepingReport>;
  stop(): Promise<void>;
}

const LEASE = 'housekeeping';
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function startHousekeeper(options: HousekeeperOptions): Housekeeper {
  const { store, limits, logger } = options;
  const intervalMs = options.intervalMs ?? 300_000;
  const chunk = Math.max(1, options.chunk ?? 1000);
  const vacuumPages = Math.max(1, options.vacuumPages ?? 2048);
  const holder = options.holder ?? randomUUID();
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  let stopped = false;
  let current: Promise<HousekeepingReport> | null = null;

  /** Deletes finished runs before `cutoff` in chunks. */
  async function deleteBefore(workspaceId: string, cutoff: string): Promise<number> {
    let deleted = 0;
    while (!stopped) {
      const oldest = await store.housekeeping.finishedAtOfNth(workspaceId, 1, 'oldest');
      if (oldest === null || oldest >= cutoff) break;
      const chunkEnd = await store.housekeeping.finishedAtOfNth(workspaceId, chunk, 'oldest');
      // Strictly before the chunk's last instant; when a whole chunk shares one instant, take that instant too.
      let before = chunkEnd === null || chunkEnd > cutoff ? cutoff : chunkEnd;
      if (before <= oldest) {
        const next = new Date(Date.parse(oldest) + 1).toISOString();
        before = next < cutoff ? next : cutoff;
      }
      deleted += await store.runs.deleteRunsFinishedBefore(workspaceId, before);
      await yieldToLoop();
    }
    return deleted;
  }

  async function retention(workspaceId: string): Promise<number> {
    const l = limits.forWorkspace(workspaceId);
    const cutoffs: string[] = [];
    if (l.retentionDays > 0) cutoffs.push(new Date(now() - l.retentionDays * 86_400_000).toISOString());
    if (l.retentionMaxRuns > 0) {
      // Everything finished before the N-th newest goes (runs finished in the same millisecond as it stay too).
      const nth = await store.housekeeping.finishedAtOfNth(workspaceId, l.retentionMaxRuns, 'newest');
      if (nth !== null) cutoffs.push(nth);
    }
    if (cutoffs.length === 0) return 0;
    return deleteBefore(workspaceId, cutoffs.sort().at(-1)!);
  }

  async function pruneVersions(workspaceId: string): Promise<number> {
    const keep = limits.forWorkspace(workspaceId).versions;
    let pruned = 0;
    for (const workflowId of await store.housekeeping.workflowsWithVersionsBeyond(workspaceId, keep)) {
      if (stopped) break;
      pruned += await store.housekeeping.pruneWorkflowVersions(workspaceId, workflowId, keep);
      await yieldToLoop();
    }
    return pruned;
  }

  async function round(): Promise<HousekeepingReport> {
    const started = now();
    const report: HousekeepingReport = { ran: false, workspaces: 0, deletedRuns: 0, prunedVersions: 0, freedPages: 0, ms: 0 };
    // The lease outlives a round by far, and is renewed each round by its holder.
    if (!(await store.housekeeping.tryLease(LEASE, holder, Math.max(60_000, intervalMs * 3)))) return report;
    report.ran = true;
    for (const ws of await store.workspaces.listWorkspaces()) {
      if (stopped) break;
      report.workspaces += 1;
      report.deletedRuns += await retention(ws.id);
      report.prunedVersions += await pruneVersions(ws.id);
    }
    for (let i = 0; i < 10_000 && !stopped; i++) {
      const { freedPages } = await store.housekeeping.reclaimSpace(vacuumPages);
      report.freedPages += freedPages;
      if (freedPages < vacuumPages) break;
      await yieldToLoop();
    }
    report.ms = now() - started;
    if (report.deletedRuns + report.prunedVersions + report.freedPages > 0) logger?.info({ housekeeping: report }, 'housekeeping round');
    return report;
  }

  function runOnce(): Promise<HousekeepingReport> {
    current ??= round().finally(() => {
      current = null;
    });
    return current;
  }

  const tick = () => {
    runOnce().catch((err: unknown) => logger?.warn({ err }, 'housekeeping round failed; retried next interval'));
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : null;
  timer?.unref();
  // A first round soon after start, not one interval later (a restarted installation catches up at once).
  const first = intervalMs > 0 ? setTimeout(tick, Math.min(intervalMs, 10_000)) : null;
  first?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      await current?.catch(() => undefined);
    },
  };
}
