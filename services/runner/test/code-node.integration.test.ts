/**
 * The `code` node through the whole runner — embedded (in-process queue) and distributed (BullMQ on the shared
 * Redis), SQLite store in both: results reach the next
 * step, and hostile code (endless loop, allocation bomb, escape attempts, huge output) fails only its own step
 * with an OUT_ERR_CODE_* error while the runner goes on with the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunLifecycle } from '@outrun/queue';
import type { JsonValue, Workflow } from '@outrun/schemas';
import { createWorkflow, edge, inProcessWorld, node, waitForTerminal, type InProcessWorld } from './harness';

let world: InProcessWorld;

async function runOnce(wf: Workflow, payload: JsonValue) {
  const { run } = await createRunLifecycle({ store: { runs: world.store.runs }, queue: world.opened.queue, events: world.opened.events }).accept(wf.workspaceId, {
    workflowId: wf.id,
    workflowVersion: wf.version,
    triggeredBy: { type: 'manual', source: 'test', triggerId: wf.triggers[0]!.id, payload },
  });
  const [done] = await waitForTerminal(world.store, wf.workspaceId, [run.id], 30_000);
  return done!;
}

const codeWorkflow = (code: string, language = 'javascript') =>
  createWorkflow(world.store, world.workspaceId, {
    nodes: [node('code', 'code', { language, code }), node('after', 'transform', { expression: '{"seen": input}' })],
    edges: [edge('trigger', 'code'), edge('code', 'after')],
  });

describe.each(['memory', 'bullmq'] as const)('code node in a run (%s queue)', { timeout: 90_000 }, (mode) => {
  beforeAll(async () => {
    world = await inProcessWorld(mode);
  });
  afterAll(() => world.close());

  it('computes from the trigger payload and hands JSON to the next step', async () => {
    const wf = await codeWorkflow('type Order = { sku: string; qty: number; price: number };\nconst orders: Order[] = trigger.orders;\nconst bySku = helpers.groupBy(orders, "sku");\nreturn Object.entries(bySku).map(([sku, rows]) => ({ sku, total: helpers.sum(rows.map((r) => r.qty * r.price)) }));', 'typescript');
    const run = await runOnce(wf, { orders: [{ sku: 'a', qty: 2, price: 3 }, { sku: 'b', qty: 1, price: 10 }, { sku: 'a', qty: 1, price: 3 }] });
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'after')?.output).toEqual({ seen: [{ sku: 'a', total: 9 }, { sku: 'b', total: 10 }] });
  });

  it('a `{{ }}` in the code stays text: a payload cannot inject code through a template', async () => {
    const wf = await codeWorkflow('const greeting = "Hello {{ trigger.name }}";\nreturn { greeting, name: trigger.name };');
    const run = await runOnce(wf, { name: '"; while (true) {} //' });
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'code')?.output).toEqual({ greeting: 'Hello {{ trigger.name }}', name: '"; while (true) {} //' });
  });

  it('hostile code fails its step with a clear code; a following run succeeds each time', async () => {
    const cases: Array<[string, string]> = [
      ['while (true) {}', 'OUT_ERR_CODE_TIMEOUT'],
      ['while (true) { await Promise.resolve(); }', 'OUT_ERR_CODE_TIMEOUT'],
      ['return "x".repeat(100000000).length;', 'OUT_ERR_CODE_MEMORY'],
      ['return process.env;', 'OUT_ERR_CODE_FAILED'],
      ['return require("child_process").execSync("id").toString();', 'OUT_ERR_CODE_FAILED'],
      ['return globalThis.constructor.constructor("return process")().pid;', 'OUT_ERR_CODE_FAILED'],
      ['return Function("return this")().process.mainModule;', 'OUT_ERR_CODE_FAILED'],
      ['return "x".repeat(5000000);', 'OUT_ERR_CODE_OUTPUT'],
      ['\n\nthrow new Error("declined: " + trigger.reason);', 'OUT_ERR_CODE_FAILED'],
    ];
    const healthy = await codeWorkflow('return trigger.n * 2;');
    for (const [code, errorCode] of cases) {
      const run = await runOnce(await codeWorkflow(code), { reason: 'too big' });
      expect(run.status, code).toBe('failed');
      expect(run.error?.code, code).toBe(errorCode);
      const step = run.steps.find((s) => s.nodeId === 'code');
      expect(step?.status, code).toBe('failed');
      expect(step?.attempt, `${code} is not retried`).toBe(1);
      const next = await runOnce(healthy, { n: 21 });
      expect(next.status, `after ${code}`).toBe('completed');
      expect(next.steps.find((s) => s.nodeId === 'code')?.output).toBe(42);
    }
    const thrown = await runOnce(await codeWorkflow('\n\nthrow new Error("declined: " + trigger.reason);'), { reason: 'too big' });
    expect(thrown.error?.message).toBe('Error: declined: too big (line 3)');
  });
});
