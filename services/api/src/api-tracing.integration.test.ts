/**
 * Tracing through the gateway with a real OTLP/HTTP receiver: every API request is a server span named after
 * its route template (no key or query in its attributes); a run started through the API is one trace from that
 * request to the model call, and the run stores its trace id; prompt text reaches the model span only in a
 * workspace that opted in.
 */
import type { WorkflowApi } from '@outrun/client';
import { isTerminalRunStatus, type Run } from '@outrun/schemas';
import { startTelemetry, type Telemetry } from '@outrun/telemetry';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@outrun/testing/otlp-receiver';
import { createTempStack, type Stack } from '@outrun/testing/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
/** The test workspace: its id, key and a client. */
let h: { ws: string; apiKey: string; api: WorkflowApi };
let openai: OpenAiServer;
let receiver: OtlpReceiver;
let telemetry: Telemetry;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({ serviceName: 'outrun-api-test', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  openai = await startOpenAiServer();
  // The embedded stack (the services' composition roots): the runner's AI defaults come from its environment.
  stack = await createTempStack({ env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test', OPENAI_API_MODE: 'chat_completions' } });
  h = await stack.newWorkspace('traced');
});
afterAll(async () => {
  await stack?.close();
  await openai?.close();
  await telemetry?.shutdown();
  await receiver?.close();
});

const PROMPT = 'John Doe from Acme Corp wants 500 seats';

async function runAgent(api: WorkflowApi, ws: string, trigger: string): Promise<Run> {
  const wf = await api.createWorkflow(ws, {
    name: 'traced agent',
    triggers: [{ id: trigger, type: 'manual' }],
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: trigger } },
      { id: 'agent', type: 'ai-agent', position: { x: 200, y: 0 }, data: { instructions: 'Classify the lead.', input: PROMPT } },
    ],
    edges: [{ id: 'e', source: 'trigger', target: 'agent' }],
  });
  await api.activateWorkflow(ws, wf.id);
  openai.script([reply.text('hot_lead')]);
  const { runId } = await api.runWorkflow(ws, wf.id, { payload: {} });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await api.getRun(ws, runId);
    if (isTerminalRunStatus(run.status)) return run;
    if (Date.now() > deadline) throw new Error('run did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const str = (span: ReceivedSpan | undefined, key: string) => span?.attributes[key];

describe('API server spans', () => {
  it('names each request span after its route template, without the key or the query string', async () => {
    const res = await fetch(`${stack.baseUrl}/api/workspaces/${h.ws}/runs?limit=5&workflowId=wf-secret-query`, { headers: { authorization: `Bearer ${h.apiKey}` } });
    expect(res.status).toBe(200);
    await telemetry.flush();
    const span = receiver.spans.find((s) => s.name === 'GET /api/workspaces/:ws/runs');
    expect(span).toMatchObject({ kind: 2 });
    expect(span?.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/api/workspaces/:ws/runs', 'http.response.status_code': 200, 'outrun.workspace.id': h.ws });
    const everything = JSON.stringify(receiver.spans.map((s) => s.attributes));
    expect(everything).not.toContain(h.apiKey);
    expect(everything).not.toContain('wf-secret-query');
  });

  it('a run started through the API is one trace down to the model call; the run stores its trace id', async () => {
    const run = await runAgent(h.api, h.ws, 'go-traced');
    expect(run.status).toBe('completed');
    expect(run.traceId).toMatch(/^[0-9a-f]{32}$/);
    await telemetry.flush();
    const inTrace = receiver.spans.filter((s) => s.traceId === run.traceId);
    const byName = (name: string) => inTrace.find((s) => s.name === name);
    const request = byName('POST /api/workspaces/:ws/workflows/:id/runs');
    expect(request?.parentSpanId ?? '').toBe('');
    expect(byName('run.queued')?.parentSpanId).toBe(request?.spanId);
    expect(byName('run.attempt')?.parentSpanId).toBe(byName('run.queued')?.spanId);
    const model = byName('chat gpt-5.4-mini');
    expect(model).toBeDefined();
    // The workspace did not opt in: no prompt on the span.
    expect(str(model, 'gen_ai.input.messages')).toBeUndefined();
    expect(JSON.stringify(inTrace.map((s) => s.attributes))).not.toContain(PROMPT);
  });

  it('a workspace that opts in gets the prompt and the completion on its model spans', async () => {
    const other = await stack.newWorkspace('opted in');
    await other.api.setAiSettings(other.ws, { traceContent: true });
    const run = await runAgent(other.api, other.ws, 'go-content');
    await telemetry.flush();
    const model = receiver.spans.find((s) => s.traceId === run.traceId && s.name === 'chat gpt-5.4-mini');
    expect(String(str(model, 'gen_ai.input.messages'))).toContain(PROMPT);
    expect(String(str(model, 'gen_ai.output.messages'))).toContain('hot_lead');
  });
});
