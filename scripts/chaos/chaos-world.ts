/**
 * The shared setting of the process-level fault tests: one SQLite file in a temp dir (this process holds a store
 * on it to arrange workflows and read runs back), BullMQ under a private prefix, and service child processes.
 */
import { WorkflowInput, isTerminalRunStatus, type RunSummary, type TriggerInput, type Workflow } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { cleanupPrefix, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceName, type ServiceProcess } from '@outrun/testing/service-process';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';

export interface ChaosWorld {
  temp: TempSqliteStore;
  store: Store;
  prefix: string;
  redisUrl: string;
  /** Every process spawned, killed by `close()`. */
  processes: ServiceProcess[];
  /** Spawns a service on this world's file and queue. */
  spawn(name: ServiceName, extra?: Record<string, string>): Promise<ServiceProcess>;
  /** The same, on a given port (a restarted process that others reach at a fixed URL). */
  spawnOnPort(name: ServiceName, port: number, extra?: Record<string, string>): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function openChaosWorld(redisUrl: string, label: string): Promise<ChaosWorld> {
  const temp = await createTempSqliteStore();
  const prefix = uniquePrefix(label);
  const processes: ServiceProcess[] = [];
  const spawnOnPort = async (name: ServiceName, port: number, extra: Record<string, string> = {}): Promise<ServiceProcess> => {
    const env = { OUTRUN_DATA_DIR: temp.dir, OUTRUN_ENCRYPTION_KEY: temp.encryptionKey, REDIS_URL: redisUrl, OUTRUN_QUEUE_PREFIX: prefix, OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1', ...extra };
    const p = await spawnService(name, env, port === 0 ? {} : { port });
    processes.push(p);
    return p;
  };
  return {
    temp, store: temp.store, prefix, redisUrl, processes, spawnOnPort,
    spawn: (name, extra = {}) => spawnOnPort(name, 0, extra),
    async close() {
      for (const p of processes) p.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited));
      await temp.cleanup();
      await cleanupPrefix(redisUrl, prefix).catch(() => undefined);
    },
  };
}

/**
 * Webhook config for load tests: an explicit rate limit far above the load, so a default webhook rate limit
 * (issue 19, finding 6) never turns the load into 429s that these tests do not study.
 */
export const UNLIMITED_WEBHOOK = { rateLimit: { rps: 100_000, burst: 1_000_000 } } as const;

/** Creates an active workflow with one `set` node fed by the given triggers (concurrency 1,000: throughput is not under test). */
export async function activeWorkflow(store: Store, workspaceId: string, triggers: TriggerInput[], name = 'chaos'): Promise<Workflow> {
  const input = WorkflowInput.parse({
    name,
    triggers,
    nodes: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: triggers[0]!.id } },
      { id: 'set', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'ok', value: true }] } },
    ],
    edges: [{ id: 'e', source: 't', target: 'set' }],
    settings: { concurrency: 1000 },
  });
  const created = await store.workflows.createWorkflow(workspaceId, input);
  return (await store.workflows.setWorkflowStatus(workspaceId, created.id, 'active')) as Workflow;
}

/** Every run of a workspace (all pages). */
export async function allRuns(store: Store, workspaceId: string): Promise<RunSummary[]> {
  const items: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.runs.listRuns(workspaceId, { limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Polls `check` every 100 ms until it returns a truthy value; throws `what` after `ms`. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every run of the workspace is terminal; returns them. */
export async function allTerminal(store: Store, workspaceId: string, ms: number): Promise<RunSummary[]> {
  let last: RunSummary[] = [];
  return until(async () => {
    last = await allRuns(store, workspaceId);
    return last.every((r) => isTerminalRunStatus(r.status)) ? last : null;
  }, ms, `every run to finish`).catch((err: unknown) => {
    const unfinished = last.filter((r) => !isTerminalRunStatus(r.status));
    const sample = unfinished.slice(0, 3).map((r) => `${r.id} ${r.status} attempt ${r.attempt} resumeAt ${r.resumeAt ?? '-'} queuedAt ${r.queuedAt}`);
    throw new Error(`${(err as Error).message}: ${unfinished.length} of ${last.length} unfinished, e.g. ${sample.join('; ')}`);
  });
}
