/**
 * Issue 19 findings 2 and 3 through the whole runner: hostile regexes (the pattern even coming from the webhook
 * payload) and allocation bombs in expressions fail or finish fast, and the runner goes on running other runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRunLifecycle } from '@outrun/queue';
import type { JsonValue, Workflow } from '@outrun/schemas';
import { createWorkflow, edge, inProcessWorld, node, waitForTerminal, type InProcessWorld } from './harness';

let world: InProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function runOnce(w: InProcessWorld, wf: Workflow, payload: JsonValue) {
  const { run } = await createRunLifecycle({ store: { runs: w.store.runs }, queue: w.opened.queue, events: w.opened.events }).accept(wf.workspaceId, {
    workflowId: wf.id,
    workflowVersion: wf.version,
    triggeredBy: { type: 'manual', source: 'test', triggerId: wf.triggers[0]!.id, payload },
  });
  const [done] = await waitForTerminal(w.store, wf.workspaceId, [run.id], 20_000);
  return done!;
}

describe('hostile user compute in a run', () => {
  it('ReDoS patterns from the workflow and from the payload finish fast with the right branch', async () => {
    world = await inProcessWorld('memory');
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [
        node('static', 'condition', { left: '{{ input.body }}', operator: 'matches', right: '^(\\w+\\s?)*$' }),
        node('fromPayload', 'condition', { left: '{{ trigger.body }}', operator: 'matches', right: '{{ trigger.pattern }}' }),
        node('extract', 'parser', { format: 'regex', source: 'body', pattern: '{{ trigger.pattern }}' }),
        node('jsonata', 'transform', { expression: '$exists($match(trigger.body, /^(a+)+$/))' }),
      ],
      edges: [edge('trigger', 'static'), edge('static', 'fromPayload', 'false'), edge('fromPayload', 'extract', 'false'), edge('extract', 'jsonata')],
    });
    const started = performance.now();
    const run = await runOnce(world, wf, { body: 'a'.repeat(27) + '!', pattern: '^(a+)+$' });
    expect(performance.now() - started).toBeLessThan(5000); // backtracking: 3.4 s + 19.6 s + 19.6 s + 19.6 s
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'extract')?.output).toEqual({ matches: [] });
    expect(run.steps.find((s) => s.nodeId === 'jsonata')?.output).toBe(false);
  });

  it('allocation bombs fail their step with OUT_ERR_EXPRESSION; the runner keeps running other runs', async () => {
    world = await inProcessWorld('memory');
    const heapBefore = process.memoryUsage().heapUsed;
    for (const expression of ['$pad("", 50000000)', '$length($pad("", 30000000))']) {
      const wf = await createWorkflow(world.store, world.workspaceId, { nodes: [node('bomb', 'transform', { expression })], edges: [edge('trigger', 'bomb')] });
      const run = await runOnce(world, wf, {});
      expect(run.status).toBe('failed');
      expect(run.error).toMatchObject({ code: 'OUT_ERR_EXPRESSION', message: expect.stringMatching(/\$pad to \d+ characters is longer than 5000000/) as unknown });
    }
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    const fine = await createWorkflow(world.store, world.workspaceId, { nodes: [node('ok', 'transform', { expression: '$pad("7", -3, "0")' })], edges: [edge('trigger', 'ok')] });
    const run = await runOnce(world, fine, {});
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'ok')?.output).toBe('007');
  });
});
