/** Test helpers for the runner: workflows, runs, waiting for outcomes, an in-process world. */
import { createLogger } from '@outrun/config';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { createRunLifecycle } from '@outrun/queue';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { isTerminalRunStatus, WorkflowInput, type JsonValue, type Run, type Workflow } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createRunner, type Runner, type RunnerOptions } from '../src/runner';

export const silentLogger = createLogger({ name: 'runner-test', level: 'silent' });

type NodeSettings = { retry?: Record<string, unknown>; timeout?: number; continueOnFail?: boolean };

export const node = (id: string, type: string, data: Record<string, unknown> = {}, settings?: NodeSettings) => ({ id, type, position: { x: 0, y: 0 }, data, ...(settings ? { settings } : {}) });
export const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${target}${sourceHandle ?? ''}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
/** An http-request node POSTing `{node, i}` (i = the trigger payload's `i`) to `url`. */
export const httpNode = (id: string, url: string, settings?: NodeSettings) =>
  node(id, 'http-request', { method: 'POST', url, bodyType: 'json', body: { node: id, i: '{{ trigger.i }}' }, timeout: 60_000 }, settings);

/** Creates an active workflow whose `trigger` node (manual trigger `trg`) feeds `nodes`. */
let triggerSeq = 0;

/** The id of a workflow's (first) trigger, as runs name it in `triggeredBy`. */
export const triggerOf = (wf: Workflow): string => wf.triggers[0]!.id;

export async function createWorkflow(store: Store, workspaceId: string, spec: { nodes: unknown[]; edges: unknown[]; settings?: Record<string, unknown> }): Promise<Workflow> {
  // Trigger ids are unique per workspace: one per workflow (`trg`, `trg-2`, …).
  const triggerId = triggerSeq++ === 0 ? 'trg' : `trg-${triggerSeq}`;
  const input = WorkflowInput.parse({
    name: 'runner test',
    triggers: [{ id: triggerId, type: 'manual' }],
    nodes: [node('trigger', 'trigger', { triggerId }), ...spec.nodes],
    edges: spec.edges,
    settings: { concurrency: 1000, ...spec.settings },
  });
  const wf = await store.workflows.createWorkflow(workspaceId, input);
  await store.workflows.setWorkflowStatus(workspaceId, wf.id, 'active');
  return wf;
}

/** Records and enqueues `count` runs (payload `{i}`), as the listener would. */
export async function startRuns(world: { store: Store; opened: Pick<OpenedQueue, 'queue' | 'events'> }, wf: Workflow, count: number, first = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = first; i < first + count; i++) {
    const payload: JsonValue = { i, value: i };
    const { run } = await createRunLifecycle({ store: { runs: world.store.runs }, queue: world.opened.queue, events: world.opened.events }).accept(wf.workspaceId, {
      workflowId: wf.id,
      workflowVersion: wf.version,
      triggeredBy: { type: 'manual', source: 'test', triggerId: triggerOf(wf), payload },
    });
    ids.push(run.id);
  }
  return ids;
}

/** Polls until `check` holds; throws with `what` after `ms`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until every run is terminal; returns them in order. */
export async function waitForTerminal(store: Store, workspaceId: string, ids: string[], ms = 30_000): Promise<Run[]> {
  let runs: Array<Run | null> = [];
  await waitUntil(
    async () => {
      runs = await Promise.all(ids.map((id) => store.runs.getRun(workspaceId, id)));
      return runs.every((r) => r !== null && isTerminalRunStatus(r.status));
    },
    ms,
    `${ids.length} runs to finish (${runs.filter((r) => r && isTerminalRunStatus(r.status)).length} done)`,
  );
  return runs as Run[];
}

export interface InProcessWorld {
  temp: TempSqliteStore;
  store: Store;
  workspaceId: string;
  opened: OpenedQueue;
  runner: Runner;
  close(): Promise<void>;
}

/** A SQLite file, a queue (memory or BullMQ on the shared Redis with a unique prefix) and one runner. */
export async function inProcessWorld(mode: 'memory' | 'bullmq', options: RunnerOptions = {}, storeOptions: { busyTimeoutMs?: number } = {}): Promise<InProcessWorld> {
  const temp = await createTempSqliteStore(storeOptions);
  const store = temp.store;
  const workspace = await store.workspaces.createWorkspace({ name: 'runner tests' });
  const prefix = uniquePrefix('rn');
  const opened = mode === 'memory' ? openQueue({}) : openQueue({ redisUrl: SHARED_REDIS_URL, prefix });
  const http = createHttpClient({ allowList: ['127.0.0.1'] });
  const runner = createRunner({
    store, queue: opened.queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog(), logger: silentLogger, http,
    options: { workflowConcurrencyPollMs: 50, cancelPollMs: 200, reconcileIntervalMs: 0, ...options },
  });
  await runner.start();
  return {
    temp, store, workspaceId: workspace.id, opened, runner,
    async close() {
      await runner.stop({ graceMs: 0 });
      await opened.close();
      await http.close();
      await temp.cleanup();
      if (mode === 'bullmq') await cleanupPrefix(SHARED_REDIS_URL, prefix);
    },
  };
}

/** Reads a counter/gauge value from a runner's registry. */
export async function metricValue(runner: Runner, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = runner.metrics.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return found?.value ?? 0;
}
