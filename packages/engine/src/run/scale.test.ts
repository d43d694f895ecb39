import { ErrorCode } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { createTestCatalog, graph, runGraph } from '../testing';

describe('executeWorkflow at scale and under bookkeeping failures', () => {
  it('runs a 10,000-node chain and resumes it after 9,990 recorded steps', async () => {
    //  t ──► n0 ──► n1 ──► … ──► n9998
    const b = graph().trigger('t');
    let prev = 't';
    for (let i = 0; i < 9_999; i++) {
      b.node(`n${i}`, 'test.set', { values: { last: i } }).edge(prev, `n${i}`);
      prev = `n${i}`;
    }
    const wf = b.build();
    const full = await runGraph(wf, createTestCatalog().catalog, { payload: {} });
    expect(full.status).toBe('completed');
    expect(full.output).toEqual({ last: 9_998 });
    const again = createTestCatalog();
    const resumed = await runGraph(wf, again.catalog, { payload: {}, recordedSteps: full.steps.slice(0, 9_990) });
    expect(again.calls).toEqual(Array.from({ length: 10 }, (_, i) => `n${9_989 + i}`));
    expect(resumed.output).toEqual({ last: 9_998 });
  });

  it('fails the run with OUT_ERR_INTERNAL when a hook throws, starting nothing after it', async () => {
    //  t ──► a ──► b
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('a', 'test.echo').node('b', 'test.echo').chain('t', 'a', 'b').build();
    const r = await runGraph(wf, t.catalog, { hooks: { onStepFinish: (s) => { if (s.nodeId === 'a') throw new Error('store down'); } } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: ErrorCode.INTERNAL, nodeId: 'a' });
    expect(r.error?.message).toMatch(/store down/);
    expect(t.calls).toEqual(['a']);
  });
});
