import { createFakeClock, ErrorCode } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { createTestCatalog, graph, runGraph } from '../testing';

describe('executeWorkflow: routing, inputs and outputs', () => {
  it('runs a linear chain, feeding each node its predecessor output', async () => {
    //  t ──► a ──► b
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('a', 'test.set', { values: { a: 1 } }).node('b', 'test.set', { values: { b: 2 } }).chain('t', 'a', 'b').build();
    const r = await runGraph(wf, t.catalog, { triggerId: 't', payload: { p: 0 } });
    expect(r.status).toBe('completed');
    expect(r.events).toEqual(['start:t#1', 'completed:t#1', 'start:a#1', 'completed:a#1', 'start:b#1', 'completed:b#1']);
    expect(r.outputs).toEqual({ t: { p: 0 }, a: { p: 0, a: 1 }, b: { p: 0, a: 1, b: 2 } });
    expect(r.output).toEqual({ p: 0, a: 1, b: 2 });
    expect(r.steps.find((s) => s.nodeId === 'b')?.input).toEqual({ p: 0, a: 1 });
  });

  it('routes a condition: the other branch is reported skipped and never runs', async () => {
    //             ┌─true──► yes ──► y2
    //  t ──► c ───┤
    //             └─false─► no ──► n2
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('c', 'test.condition', { value: '{{ input.go }}' }).node('yes', 'test.echo').node('y2', 'test.echo').node('no', 'test.echo').node('n2', 'test.echo')
      .chain('t', 'c').edge('c', 'yes', 'true').edge('c', 'no', 'false').chain('yes', 'y2').chain('no', 'n2').build();
    const r = await runGraph(wf, t.catalog, { triggerId: 't', payload: { go: false } });
    expect(r.status).toBe('completed');
    expect(t.calls).toEqual(['c', 'no', 'n2']);
    expect(r.steps.filter((s) => s.status === 'skipped').map((s) => s.nodeId).sort()).toEqual(['y2', 'yes']);
    expect(r.steps.find((s) => s.nodeId === 'c')?.handle).toBe('false');
  });

  it('routes a switch by case handle, with default', async () => {
    //            ┌─a───────► A
    //  t ──► s ──┼─b───────► B
    //            └─default─► D
    const build = () => graph().trigger('t').node('s', 'test.switch', { cases: ['a', 'b'], value: '{{ input.k }}' }).node('A', 'test.echo').node('B', 'test.echo').node('D', 'test.echo')
      .chain('t', 's').edge('s', 'A', 'a').edge('s', 'B', 'b').edge('s', 'D', 'default').build();
    const one = createTestCatalog();
    await runGraph(build(), one.catalog, { payload: { k: 'b' } });
    expect(one.calls).toEqual(['s', 'B']);
    const two = createTestCatalog();
    await runGraph(build(), two.catalog, { payload: { k: 'zzz' } });
    expect(two.calls).toEqual(['s', 'D']);
  });

  it('merges: waits for every live branch, gets {id: output}, is not blocked by a dead one', async () => {
    //             ┌─true──► a ──────┐
    //  t ──► c ───┤                 ├──► m
    //             └─false─► b       │
    //  t ──► s(slow 50) ────────────┘
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('c', 'test.condition', { value: true }).node('a', 'test.set', { values: { from: 'a' } }).node('b', 'test.echo')
      .node('s', 'test.slow', { ms: 50 }).node('m', 'test.merge')
      .chain('t', 'c').chain('t', 's').edge('c', 'a', 'true').edge('c', 'b', 'false').edge('a', 'm').edge('b', 'm').edge('s', 'm').build();
    const r = await runGraph(wf, t.catalog, { payload: { x: 1 } });
    expect(r.status).toBe('completed');
    expect(t.calls.filter((c) => c === 'm')).toHaveLength(1);
    expect(t.calls.at(-1)).toBe('m');
    expect(r.outputs.m).toEqual({ a: { x: 1, from: 'a' }, s: { x: 1 } });
  });

  it('gives a waitsForAllInputs node the {id: output} map even when only one branch is live', async () => {
    //        ┌─true──► a ──┐
    //  c ────┤             ├──► m (merge)  ──► after
    //        └─false─► b ──┘
    const t = createTestCatalog();
    const wf = graph().node('c', 'test.condition', { value: false }).node('a', 'test.echo').node('b', 'test.set', { values: { b: 1 } }).node('m', 'test.merge').node('after', 'test.echo')
      .edge('c', 'a', 'true').edge('c', 'b', 'false').edge('a', 'm').edge('b', 'm').chain('m', 'after').build();
    const r = await runGraph(wf, t.catalog, { payload: { p: 1 } });
    expect(r.outputs.m).toEqual({ b: { p: 1, b: 1 } });
    // a single incoming edge gives a map too; the node after it (not merge-like) gets the output itself
    expect(r.outputs.after).toEqual({ b: { p: 1, b: 1 } });
    const one = await runGraph(graph().node('s', 'test.set', { values: { s: 1 } }).node('m', 'test.merge').chain('s', 'm').build(), createTestCatalog().catalog, { payload: {} });
    expect(one.outputs.m).toEqual({ s: { s: 1 } });
  });

  it('gives a plain join a single live predecessor output directly', async () => {
    //        ┌─true──► a ──┐
    //  c ────┤             ├──► j
    //        └─false─► b ──┘
    const t = createTestCatalog();
    const wf = graph().node('c', 'test.condition', { value: false }).node('a', 'test.echo').node('b', 'test.set', { values: { b: 1 } }).node('j', 'test.echo')
      .edge('c', 'a', 'true').edge('c', 'b', 'false').edge('a', 'j').edge('b', 'j').build();
    const r = await runGraph(wf, t.catalog, { payload: { p: 1 } });
    expect(r.outputs.j).toEqual({ p: 1, b: 1 });
  });

  it('runs independent branches in parallel, bounded by branchConcurrency', async () => {
    //        ┌──► s1 (100 ms)
    //  t ────┼──► …
    //        └──► s6 (100 ms)
    const build = (limit: number) => {
      const b = graph().trigger('t').settings({ branchConcurrency: limit });
      for (let i = 1; i <= 6; i++) b.node(`s${i}`, 'test.slow', { ms: 100 }).edge('t', `s${i}`);
      return b.build();
    };
    const wide = createTestCatalog();
    const clock = createFakeClock({ autoAdvance: true });
    const start = clock.now();
    await runGraph(build(8), wide.catalog, { clock });
    expect(wide.maxConcurrent()).toBe(6);
    expect(clock.now() - start).toBe(100);
    const narrow = createTestCatalog();
    const clock2 = createFakeClock({ autoAdvance: true });
    await runGraph(build(2), narrow.catalog, { clock: clock2 });
    expect(narrow.maxConcurrent()).toBe(2);
    expect(clock2.now() - 1_700_000_000_000).toBe(300);
  });

  it('starts at the firing trigger node; other triggers and their branches are skipped', async () => {
    //  t1 ──► a ──┐
    //             ├──► j
    //  t2 ──► b ──┘
    const build = () => graph().trigger('t1').trigger('t2').node('a', 'test.echo').node('b', 'test.echo').node('j', 'test.echo').chain('t1', 'a', 'j').chain('t2', 'b', 'j').build();
    const t = createTestCatalog();
    const r = await runGraph(build(), t.catalog, { triggerId: 't2', payload: { via: 2 } });
    expect(t.calls).toEqual(['b', 'j']);
    expect(r.steps.filter((s) => s.status === 'skipped').map((s) => s.nodeId).sort()).toEqual(['a', 't1']);
    expect(r.outputs.j).toEqual({ via: 2 });
  });

  it('starts at every root node when no trigger node matches', async () => {
    //  a ──► c ◄── b
    const t = createTestCatalog();
    const wf = graph().node('a', 'test.set', { values: { a: 1 } }).node('b', 'test.set', { values: { b: 1 } }).node('c', 'test.echo').edge('a', 'c').edge('b', 'c').build();
    const r = await runGraph(wf, t.catalog, { payload: { p: 1 } });
    expect(r.outputs.c).toEqual({ a: { p: 1, a: 1 }, b: { p: 1, b: 1 } });
  });

  it('uses a respond node body as output and keeps the first response', async () => {
    //  t ──► r1 ──► r2 ──► last
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('r1', 'test.respond', { status: 201, body: { ok: 1 } }).node('r2', 'test.respond', { status: 500, body: 'late' }).node('last', 'test.echo', { value: 'x' }).chain('t', 'r1', 'r2', 'last').build();
    const r = await runGraph(wf, t.catalog);
    expect(r.response).toEqual({ status: 201, headers: {}, body: { ok: 1 } });
    expect(r.output).toEqual({ ok: 1 });
  });

  it('sums usage, counts unpriced calls and gives idempotency keys', async () => {
    //  t ──► ai1 ──► ai2 ──► h
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('ai1', 'test.ai', { tokens: 100, cost: 0.5 }).node('ai2', 'test.ai', { tokens: 20, cost: null }).node('h', 'test.http').chain('t', 'ai1', 'ai2', 'h').build();
    const r = await runGraph(wf, t.catalog, { runId: 'run-9' });
    expect(r.usage).toEqual({ aiTokensUsed: 120, estimatedCost: 0.5, webhooksCalled: 1, unpricedCalls: 1, unpricedTokens: 20 });
    expect(r.outputs.h).toEqual({ key: 'run-9:h:1' });
    expect(r.steps.find((s) => s.nodeId === 'ai1')?.usage).toEqual({ totalTokens: 100, cost: 0.5 });
  });

  it('fails an AI node with OUT_ERR_BUDGET_EXCEEDED once the budget is spent', async () => {
    //  t ──► ai1 ──► ai2
    const t = createTestCatalog();
    const wf = graph().trigger('t').settings({ maxTokensPerRun: 100 }).node('ai1', 'test.ai', { tokens: 100 }).node('ai2', 'test.ai').chain('t', 'ai1', 'ai2').build();
    const r = await runGraph(wf, t.catalog);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: ErrorCode.BUDGET_EXCEEDED, nodeId: 'ai2' });
    expect(t.calls).toEqual(['ai1']);
    expect(r.events.filter((e) => e.includes('ai2'))).toEqual(['start:ai2#1', 'failed:ai2#1']); // never retried
  });
});

describe('executeWorkflow: expressions and bad graphs', () => {
  it('evaluates templates against input, trigger and steps (raw value vs interpolation)', async () => {
    //  t ──► a ──► b
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('a', 'test.set', { values: { n: '{{ trigger.n * 2 }}', s: 'n={{ trigger.n }}', o: '{{ {"k": trigger.n} }}' } })
      .node('b', 'test.echo', { value: '{{ steps.a.n + input.n }}' }).chain('t', 'a', 'b').build();
    const r = await runGraph(wf, t.catalog, { payload: { n: 21 } });
    expect(r.outputs.a).toEqual({ n: 42, s: 'n=21', o: { k: 21 } });
    expect(r.outputs.b).toBe(84);
  });

  it('turns an expression error into a failed step with code and position, not a crash', async () => {
    //  t ──► bad ──► after
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('bad', 'test.echo', { value: '{{ $number("x") + }}' }).node('after', 'test.echo').chain('t', 'bad', 'after').build();
    const r = await runGraph(wf, t.catalog);
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe(ErrorCode.EXPRESSION);
    expect(r.error?.message).toMatch(/\$number\("x"\) \+.*position \d+/);
    expect(r.events).toContain('failed:bad#1');
    expect(r.events.filter((e) => e.startsWith('start:bad'))).toHaveLength(1);
    expect(t.calls).toEqual([]);
  });

  it('fails a node with invalid params or an unknown type without retrying', async () => {
    const t = createTestCatalog();
    const r1 = await runGraph(graph().node('a', 'test.slow', { ms: 'soon' }).build(), t.catalog);
    expect(r1.error).toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, nodeId: 'a' });
    const r2 = await runGraph(graph().node('a', 'nope').build(), t.catalog);
    expect(r2.error).toMatchObject({ code: ErrorCode.UNKNOWN_NODE_TYPE, nodeId: 'a' });
    expect(r2.events).toEqual(['start:a#1', 'failed:a#1']);
  });

  it('refuses a cyclic graph without running anything', async () => {
    //  a ──► b ──► a
    const t = createTestCatalog();
    const r = await runGraph(graph().node('a', 'test.echo').node('b', 'test.echo').chain('a', 'b', 'a').build(), t.catalog);
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe(ErrorCode.CYCLE);
    expect(t.calls).toEqual([]);
  });

  it('handles unicode and __proto__ node ids as plain keys', async () => {
    //  t ──► 日本 ──► __proto__
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('日本', 'test.set', { values: { 'ключ': '😀' } }).node('__proto__', 'test.echo').chain('t', '日本', '__proto__').build();
    const r = await runGraph(wf, t.catalog, { payload: {} });
    expect(r.status).toBe('completed');
    expect(Object.hasOwn(r.outputs, '__proto__')).toBe(true);
    expect(r.outputs['日本']).toEqual({ 'ключ': '😀' });
    expect(Object.getPrototypeOf(r.outputs)).toBe(Object.prototype);
  });
});
