/**
 * Live output of AI steps through the real runner and the real event bus: the model streams (the local
 * OpenAI-compatible server sends SSE chunks with pauses), the runner relays coalesced `output` events on the
 * run's channel while the step runs, and the recorded step equals what was streamed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@outrun/config';
import { createRunLifecycle, runChannel, runEventBus } from '@outrun/queue';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { createRunner, type Runner } from '@outrun/runner';
import { isTerminalRunStatus, WorkflowInput, type Run, type RunEvent } from '@outrun/schemas';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createNodeCatalog } from '../catalog';
import { waitUntil } from './test-support';

let server: OpenAiServer;
let temp: TempSqliteStore;
let opened: OpenedQueue;
let runner: Runner;
let workspaceId: string;

const ANSWER = 'Acme Corp is a hot lead: a named decision maker, a budget and a deadline this quarter. Call John today.';

beforeEach(async () => {
  // 40 deltas, 15 ms apart: the step streams for ~0.6 s, long enough to see several coalesced events.
  server = await startOpenAiServer({ streamChunks: 40, streamDelayMs: 15 });
  temp = await createTempSqliteStore();
  workspaceId = (await temp.store.workspaces.createWorkspace({ name: 'live output' })).id;
  opened = openQueue({});
  runner = createRunner({
    store: temp.store, queue: opened.queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog(),
    logger: createLogger({ name: 'live-output', level: 'silent' }),
    services: { ai: { apiKey: 'sk-live', baseURL: server.url, allowPrivateNetwork: true } },
    options: { reconcileIntervalMs: 0 },
  });
  await runner.start();
});
afterEach(async () => {
  await runner.stop({ graceMs: 0 });
  await opened.close();
  await temp.cleanup();
  await server.close();
});

const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });

async function startRun(agentData: Record<string, unknown>): Promise<{ run: Run; events: RunEvent[] }> {
  const wf = await temp.store.workflows.createWorkflow(workspaceId, WorkflowInput.parse({
    name: 'live',
    triggers: [{ id: 'trg', type: 'manual' }],
    nodes: [node('trigger', 'trigger', { triggerId: 'trg' }), node('agent', 'ai-agent', { instructions: 'Assess the lead.', input: 'John Doe from Acme Corp', ...agentData })],
    edges: [{ id: 'e1', source: 'trigger', target: 'agent' }],
  }));
  const { run } = await createRunLifecycle({ store: { runs: temp.store.runs }, queue: opened.queue, events: opened.events }).accept(workspaceId, {
    workflowId: wf.id, workflowVersion: wf.version, triggeredBy: { type: 'manual', source: 'test', triggerId: 'trg', payload: {} },
  });
  const events: RunEvent[] = [];
  // The model answers only after the runner took the job and the step started: subscribing now misses nothing.
  await runEventBus(opened.events).subscribe(runChannel(run.id), (e) => events.push(e));
  return { run, events };
}

async function finished(runId: string): Promise<Run> {
  let final: Run | null = null;
  await waitUntil(() => final !== null && isTerminalRunStatus(final.status), `run ${runId} to finish`, 30_000, async () => {
    final = await temp.store.runs.getRun(workspaceId, runId);
  });
  return final as unknown as Run;
}

/** An `openai` credential for the local server in the given API mode. */
async function openAiCredential(apiMode: 'chat_completions' | 'responses'): Promise<string> {
  const origin = new URL(server.url).origin;
  return (await temp.store.credentials.create(workspaceId, { name: apiMode, type: 'openai', data: { apiKey: 'sk-live', baseURL: server.url, apiMode }, allowedHosts: [origin] })).id;
}

const outputsOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'output' ? [e] : []));

describe('live AI output', () => {
  it.each(['chat_completions', 'responses'] as const)('%s: streams the text while the step runs, coalesced, and the recorded output equals the concatenated stream', async (apiMode) => {
    server.script([reply.text(ANSWER, { inputTokens: 40, outputTokens: 25 })]);
    const { run, events } = await startRun({ credentialId: await openAiCredential(apiMode) });
    // Text arrives before the step finishes (the run view sees it grow).
    await waitUntil(() => outputsOf(events).length > 0, 'a first output event', 10_000);
    const firstText = outputsOf(events)[0]?.text ?? '';
    expect(firstText.length).toBeGreaterThan(0);
    expect(firstText.length).toBeLessThan(ANSWER.length);
    const done = await finished(run.id);
    await waitUntil(() => events.some((e) => e.type === 'step' && e.nodeId === 'agent' && e.status === 'completed'), 'the step finish event');

    const outputs = outputsOf(events);
    expect(outputs.map((e) => e.seq)).toEqual(outputs.map((_, i) => i));
    expect(outputs.every((e) => e.nodeId === 'agent' && e.attempt === 1 && e.workspaceId === workspaceId)).toBe(true);
    // 40 deltas over ~0.6 s, at most one event per 100 ms: fewer events than deltas.
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.length).toBeLessThan(40);
    const streamed = outputs.map((e) => e.text).join('');
    const step = done.steps.find((s) => s.nodeId === 'agent');
    expect(done.status).toBe('completed');
    expect(streamed).toBe(ANSWER);
    expect((step?.output as { output: unknown }).output).toBe(streamed);
    // The last output event precedes the step's finish event.
    const lastOutput = events.lastIndexOf(outputs.at(-1) as RunEvent);
    const finish = events.findIndex((e) => e.type === 'step' && e.nodeId === 'agent' && e.status === 'completed');
    expect(lastOutput).toBeLessThan(finish);
    expect(step?.usage).toMatchObject({ inputTokens: 40, outputTokens: 25 });
    expect(server.requests.at(-1)?.path).toBe(apiMode === 'responses' ? '/v1/responses' : '/v1/chat/completions');
    expect(server.requests.at(-1)?.stream).toBe(true);
  });

  it('relays tool calls (called, returned) and then the final text', async () => {
    await temp.store.data.insert(workspaceId, 'companies', { name: 'Acme Corp', employees: 5000 });
    server.script([
      reply.toolCall('find_company', { field: 'name', value: 'Acme Corp' }, { inputTokens: 30, outputTokens: 10 }, 'call_1'),
      reply.text('Acme Corp has 5000 employees.', { inputTokens: 50, outputTokens: 8 }),
    ]);
    const { run, events } = await startRun({ tools: [{ type: 'data_lookup', name: 'find_company', description: 'Find a company by a field', collection: 'companies' }] });
    const done = await finished(run.id);
    await waitUntil(() => events.some((e) => e.type === 'step' && e.nodeId === 'agent' && e.status === 'completed'), 'the step finish event');
    const outputs = outputsOf(events);
    expect(outputs.flatMap((e) => e.toolCalls ?? [])).toEqual([
      { callId: 'call_1', name: 'find_company', status: 'called' },
      { callId: 'call_1', name: 'find_company', status: 'returned' },
    ]);
    expect(outputs.map((e) => e.text).join('')).toBe('Acme Corp has 5000 employees.');
    expect(done.steps.find((s) => s.nodeId === 'agent')?.output).toMatchObject({ output: 'Acme Corp has 5000 employees.', toolCalls: [{ name: 'find_company' }] });
  });
});
