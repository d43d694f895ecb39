import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@outrun/schemas';
import { createTestCatalog, graph, runGraph } from '../testing';

describe('executeWorkflow: waiting for a signal', () => {
  //  t ──► w(wait "approve") ─out──► after
  //                          └timeout─► late
  const wf = graph().trigger('t').node('w', 'test.wait', { signal: 'approval:w', ms: 60_000 }).node('after', 'test.echo').node('late', 'test.echo')
    .chain('t', 'w').edge('w', 'after', 'out').edge('w', 'late', 'timeout').build();

  it('parks naming the signal, then resumes from the waiting node with the delivered payload as its output', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const t0 = clock.now();
    const parked = await runGraph(wf, createTestCatalog().catalog, { clock });
    expect(parked).toMatchObject({ status: 'parked', resumeAt: t0 + 60_000, waitingFor: 'approval:w' });
    expect(parked.steps.find((s) => s.nodeId === 'w')).toMatchObject({ status: 'waiting', output: { waitingFor: 'approval:w', resumeAt: t0 + 60_000 } });

    const again = createTestCatalog();
    const resumed = await runGraph(wf, again.catalog, { clock, recordedSteps: parked.steps, startedAt: t0, resumeSignal: { signal: 'approval:w', payload: { approved: true } } });
    expect(resumed.status).toBe('completed');
    expect(again.calls).toEqual(['w', 'after']);
    expect(resumed.outputs.w).toEqual({ approved: true });
    expect(resumed.steps.find((s) => s.nodeId === 'late')?.status).toBe('skipped');
  });

  it('a signal meant for another wait is not handed to this node: it waits on (same deadline)', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const t0 = clock.now();
    const parked = await runGraph(wf, createTestCatalog().catalog, { clock });
    const resumed = await runGraph(wf, createTestCatalog().catalog, { clock, recordedSteps: parked.steps, startedAt: t0, resumeSignal: { signal: 'approval:other', payload: 1 } });
    expect(resumed).toMatchObject({ status: 'parked', resumeAt: t0 + 60_000, waitingFor: 'approval:w' });
  });

  it('at the deadline (no signal) it leaves through the timeout branch', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const t0 = clock.now();
    const slow = graph().trigger('t').node('w', 'test.wait', { signal: 's', ms: 1000 }).node('after', 'test.echo').node('late', 'test.echo')
      .chain('t', 'w').edge('w', 'after', 'out').edge('w', 'late', 'timeout').settings({ timeout: 100_000 }).build();
    const parked = await runGraph(slow, createTestCatalog().catalog, { clock });
    await clock.advance(1000);
    const again = createTestCatalog();
    const resumed = await runGraph(slow, again.catalog, { clock, recordedSteps: parked.steps, startedAt: t0 });
    expect(resumed.status).toBe('completed');
    expect(again.calls).toEqual(['w', 'late']);
    expect(resumed.outputs.w).toEqual({ timedOut: true });
  });
});

describe('executeWorkflow: on error → error output', () => {
  it('a failing node with onError "error-output" leaves through its error handle; its normal edges are skipped', async () => {
    //  t ──► f(fails) ─out──► ok
    //                 └error─► handler
    const wf = graph().trigger('t').node('f', 'test.fail', { kind: 'nonretriable' }, { onError: 'error-output' }).node('ok', 'test.echo').node('handler', 'test.echo')
      .chain('t', 'f').edge('f', 'ok').edge('f', 'handler', 'error').build();
    const r = await runGraph(wf, createTestCatalog().catalog);
    expect(r.status).toBe('completed');
    expect(r.outputs.handler).toMatchObject({ error: { code: 'OUT_ERR_NODE_FAILED', message: 'fail #1' } });
    expect(r.steps.find((s) => s.nodeId === 'ok')?.status).toBe('skipped');
  });

  it('a succeeding node never takes its error handle', async () => {
    const wf = graph().trigger('t').node('f', 'test.fail', { times: 0 }, { onError: 'error-output' }).node('ok', 'test.echo').node('handler', 'test.echo')
      .chain('t', 'f').edge('f', 'ok').edge('f', 'handler', 'error').build();
    const r = await runGraph(wf, createTestCatalog().catalog);
    expect(r.status).toBe('completed');
    expect(r.steps.find((s) => s.nodeId === 'handler')?.status).toBe('skipped');
    expect(r.outputs.ok).toMatchObject({ ok: true });
  });

  it('without onError the failure fails the run', async () => {
    const wf = graph().trigger('t').node('f', 'test.fail', { kind: 'nonretriable' }).node('handler', 'test.echo').chain('t', 'f').edge('f', 'handler', 'error').build();
    expect((await runGraph(wf, createTestCatalog().catalog)).status).toBe('failed');
  });
});
