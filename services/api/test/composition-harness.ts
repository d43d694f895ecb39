/** An embedded world for composition tests: the real gateway and a real runner on one SQLite file and queue. */
import { randomBytes } from 'node:crypto';
import { createLogger } from '@outrun/config';
import { approvalLinkKey, createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { createRunner, type Runner } from '@outrun/runner';
import { startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { isTerminalRunStatus, type Run, type WorkflowInputRaw } from '@outrun/schemas';
import { startApi, waitFor, type ApiHarness } from './api-harness';

export interface CompositionWorld {
  h: ApiHarness;
  runner: Runner;
  linkKey: Buffer;
  /** An OpenAI-compatible fake the runner's AI nodes talk to (usage roll-up tests). */
  openai: OpenAiServer;
  /** Creates a workflow (manual trigger `t-<name>` → `nodes`), returns its id. */
  workflow(name: string, nodes: Array<{ id: string; type: string; data?: Record<string, unknown>; settings?: Record<string, unknown> }>, edges: Array<[string, string, string?]>, settings?: Record<string, unknown>): Promise<string>;
  run(workflowId: string, payload?: unknown): Promise<string>;
  getRun(runId: string): Promise<Run>;
  /** Waits until the run waits for `signal` (or any signal). */
  waiting(runId: string, signal?: string): Promise<Run>;
  terminal(runId: string, ms?: number): Promise<Run>;
  close(): Promise<void>;
}

const logger = createLogger({ name: 'composition-test', level: 'silent' });

export async function startCompositionWorld(): Promise<CompositionWorld> {
  const linkKey = approvalLinkKey(randomBytes(32).toString('hex'));
  const h = await startApi({ approvalLinkKey: linkKey });
  const http = createHttpClient({ allowList: ['127.0.0.1'] });
  const openai = await startOpenAiServer();
  const runner = createRunner({
    store: h.temp.store, queue: h.deps.queue, events: h.deps.events, catalog: createNodeCatalog(), logger, http, approvalLinkKey: linkKey,
    services: { ai: { baseURL: openai.url, apiKey: 'sk-test', apiMode: 'chat_completions', allowList: ['127.0.0.1'] } },
    options: { workflowConcurrencyPollMs: 50, cancelPollMs: 100, reconcileIntervalMs: 0 },
  });
  await runner.start();
  const getRun = (runId: string) => h.temp.store.runs.getRun(h.ws, runId) as Promise<Run>;
  let seq = 0;
  return {
    h, runner, linkKey, openai, getRun,
    async workflow(name, nodes, edges, settings = {}) {
      const triggerId = `t-${name}-${seq++}`;
      const input: WorkflowInputRaw = {
        name,
        triggers: [{ id: triggerId, type: 'manual' }],
        nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } }, ...nodes.map((n) => ({ position: { x: 0, y: 0 }, data: {}, ...n }) as NonNullable<WorkflowInputRaw['nodes']>[number])],
        edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
        settings: { concurrency: 100, ...settings },
      };
      return (await h.api.createWorkflow(h.ws, input)).id;
    },
    async run(workflowId, payload = {}) {
      return (await h.api.runWorkflow(h.ws, workflowId, { payload: payload as never })).runId;
    },
    waiting: (runId, signal) => waitFor(async () => {
      const r = await getRun(runId);
      return r.waitingFor !== undefined && (signal === undefined || r.waitingFor === signal) ? r : null;
    }, 15_000),
    terminal: (runId, ms = 15_000) => waitFor(async () => {
      const r = await getRun(runId);
      return isTerminalRunStatus(r.status) ? r : null;
    }, ms),
    async close() {
      await runner.stop({ graceMs: 0 });
      await http.close();
      await openai.close();
      await h.close();
    },
  };
}
