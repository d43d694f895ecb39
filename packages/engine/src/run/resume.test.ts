import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@outrun/schemas';
import { createTestCatalog, graph, runGraph } from '../testing';

describe('executeWorkflow: park and resume', () => {
  it('parks on a durable delay and resumes it with its saved state', async () => {
    //  t ──► d(delay 60 s) ──► after
    const wf = graph().trigger('t').node('d', 'test.delay', { ms: 60_000 }).node('after', 'test.echo').chain('t', 'd', 'after').build();
    const first = createTestCatalog();
    const clock = createFakeClock({ autoAdvance: true });
    const t0 = clock.now();
    const parked = await runGraph(wf, first.catalog, { clock, payload: { p: 1 } });
    expect(parked.status).toBe('parked');
    expect(parked.resumeAt).toBe(t0 + 60_000);
    expect(parked.steps.find((s) => s.nodeId === 'd')).toMatchObject({ status: 'waiting', output: { resumeAt: t0 + 60_000, state: { parkedAt: t0 } } });
    expect(first.calls).toEqual(['d']);

    const second = createTestCatalog();
    await clock.advance(60_000); // the resume job fires when the delay is due
    const resumed = await runGraph(wf, second.catalog, { clock, payload: { p: 1 }, recordedSteps: parked.steps, startedAt: t0 });
    expect(resumed.status).toBe('completed');
    expect(second.calls).toEqual(['d', 'after']);
    expect(resumed.events).toEqual(['start:d#1', 'completed:d#1', 'start:after#1', 'completed:after#1']); // no hooks for t
    expect(resumed.outputs.d).toEqual({ resumed: { parkedAt: t0 }, input: { p: 1 } });
    expect(resumed.outputs.t).toEqual({ p: 1 });
    // The delay step spans its whole wait (it started when it parked), not the instant of the resume.
    const d = resumed.steps.find((s) => s.nodeId === 'd' && s.status === 'completed');
    expect(d?.startedAt).toBe(t0);
    expect(d?.duration).toBe((d?.finishedAt ?? 0) - t0);
    expect(d?.duration).toBeGreaterThanOrEqual(60_000);
  });

  it('lets in-flight nodes finish when parking but starts nothing new', async () => {
    //  t ──► d(delay)
    //  t ──► s(slow 100) ──► s2
    const wf = graph().trigger('t').node('d', 'test.delay', { ms: 1000 }).node('s', 'test.slow', { ms: 100 }).node('s2', 'test.echo').chain('t', 'd').chain('t', 's', 's2').build();
    const first = createTestCatalog();
    const parked = await runGraph(wf, first.catalog);
    expect(parked.status).toBe('parked');
    expect(parked.steps.filter((s) => s.status === 'completed').map((s) => s.nodeId).sort()).toEqual(['s', 't']);
    expect(first.calls.sort()).toEqual(['d', 's']);
    const second = createTestCatalog();
    const resumed = await runGraph(wf, second.catalog, { recordedSteps: parked.steps });
    expect(resumed.status).toBe('completed');
    expect(second.calls.sort()).toEqual(['d', 's2']);
  });

  it('reports the earliest resumeAt when several branches park', async () => {
    //  t ──► d1(delay 5 s)
    //  t ──► d2(delay 2 s)
    const wf = graph().trigger('t').node('d1', 'test.delay', { ms: 5000 }).node('d2', 'test.delay', { ms: 2000 }).chain('t', 'd1').chain('t', 'd2').build();
    const clock = createFakeClock();
    const r = await runGraph(wf, createTestCatalog().catalog, { clock });
    expect(r.resumeAt).toBe(clock.now() + 2000);
  });

  it('resumes after a crash: recorded completed steps are reused, never re-run, and fire no hooks', async () => {
    //             ┌─true──► yes ──► y2 ──┐
    //  t ──► c ───┤                       ├──► m ──► end
    //             └─false─► no ───────────┘
    const wf = graph().trigger('t').node('c', 'test.condition', { value: '{{ input.go }}' }).node('yes', 'test.set', { values: { y: 1 } }).node('y2', 'test.set', { values: { y2: '{{ steps.yes.y + 1 }}' } })
      .node('no', 'test.echo').node('m', 'test.merge').node('end', 'test.set', { values: { end: true } })
      .chain('t', 'c').edge('c', 'yes', 'true').edge('c', 'no', 'false').chain('yes', 'y2', 'm', 'end').edge('no', 'm').build();
    const full = await runGraph(wf, createTestCatalog().catalog, { payload: { go: true } });
    expect(full.status).toBe('completed');
    // the runner crashed after recording the first four finished steps (t, c, the skip of `no`, yes)
    const prefix = full.steps.slice(0, 4);
    expect(prefix.map((s) => `${s.status}:${s.nodeId}`)).toEqual(['completed:t', 'completed:c', 'skipped:no', 'completed:yes']);
    const again = createTestCatalog();
    const resumed = await runGraph(wf, again.catalog, { payload: { go: true }, recordedSteps: prefix });
    expect(again.calls).toEqual(['y2', 'm', 'end']);
    expect(resumed.events).toEqual(['start:y2#1', 'completed:y2#1', 'start:m#1', 'completed:m#1', 'start:end#1', 'completed:end#1']);
    expect(resumed.outputs).toEqual(full.outputs);
    expect(resumed.output).toEqual(full.output);
  });

  it('re-runs a step whose start was recorded but whose finish was not', async () => {
    //  t ──► a ──► b
    const wf = graph().trigger('t').node('a', 'test.set', { values: { a: 1 } }).node('b', 'test.echo').chain('t', 'a', 'b').build();
    const full = await runGraph(wf, createTestCatalog().catalog);
    const recorded = [...full.steps.slice(0, 1), { nodeId: 'a', nodeType: 'test.set', status: 'running' as const, attempt: 1, startedAt: 0 }];
    const again = createTestCatalog();
    const resumed = await runGraph(wf, again.catalog, { recordedSteps: recorded });
    expect(again.calls).toEqual(['a', 'b']);
    expect(resumed.outputs).toEqual(full.outputs);
  });
});
