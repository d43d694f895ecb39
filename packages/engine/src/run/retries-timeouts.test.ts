import { createFakeClock, ErrorCode } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import type { NodeContext, NodeDefinition } from '../types';
import { createTestCatalog, graph, runGraph } from '../testing';

const noJitter = { jitter: 0, initialDelay: 100, maxDelay: 10_000 } as const;

describe('executeWorkflow: retries', () => {
  it.each([
    ['exponential', [100, 200, 400]],
    ['linear', [100, 200, 300]],
    ['fixed', [100, 100, 100]],
  ] as const)('retries with %s backoff on the injected clock', async (strategy, waits) => {
    //  f (fails 3 times, then succeeds)
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 3, backoffStrategy: strategy } }).node('f', 'test.fail', { times: 3 }).build();
    const clock = createFakeClock({ autoAdvance: true });
    const r = await runGraph(wf, t.catalog, { clock });
    expect(r.status).toBe('completed');
    expect(r.events).toEqual(['start:f#1', 'failed:f#1', 'start:f#2', 'failed:f#2', 'start:f#3', 'failed:f#3', 'start:f#4', 'completed:f#4']);
    expect(clock.sleeps.slice(1)).toEqual(waits); // sleeps[0] is the run timeout
    expect(r.outputs.f).toEqual({ ok: true, attempt: 4 });
  });

  it('gives up after maxRetries and fails the run with the node error', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 2 } }).node('f', 'test.fail').node('after', 'test.echo').chain('f', 'after').build();
    const r = await runGraph(wf, t.catalog);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ code: ErrorCode.NODE_FAILED, message: 'fail #3', nodeId: 'f' });
    expect(t.calls).toEqual(['f', 'f', 'f']);
  });

  it('merges the node retry policy over the workflow one', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 0 } }).node('f', 'test.fail', { times: 1 }, { retry: { maxRetries: 1, initialDelay: 7 } }).build();
    const clock = createFakeClock({ autoAdvance: true });
    const r = await runGraph(wf, t.catalog, { clock });
    expect(r.status).toBe('completed');
    expect(clock.sleeps.slice(1)).toEqual([7]);
  });

  it.each(['nonretriable', 'user'] as const)('never retries a %s error', async (kind) => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 5 } }).node('f', 'test.fail', { kind }).build();
    const r = await runGraph(wf, t.catalog);
    expect(r.status).toBe('failed');
    expect(t.calls).toEqual(['f']);
  });

  it('waits RetryAfterError.retryAfterMs, even above maxDelay', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 1, maxDelay: 1000 } }).node('f', 'test.fail', { times: 1, kind: 'retryAfter', retryAfterMs: 4321 }).build();
    const clock = createFakeClock({ autoAdvance: true });
    const r = await runGraph(wf, t.catalog, { clock });
    expect(r.status).toBe('completed');
    expect(clock.sleeps.slice(1)).toEqual([4321]);
  });

  it('uses the injected random source for jitter', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { maxRetries: 1, initialDelay: 1000, maxDelay: 10_000, jitter: 0.5, backoffStrategy: 'fixed' } }).node('f', 'test.fail', { times: 1 }).build();
    const clock = createFakeClock({ autoAdvance: true });
    await runGraph(wf, t.catalog, { clock, random: () => 0 });
    expect(clock.sleeps.slice(1)).toEqual([500]);
  });

  it('continueOnFail records the failure and lets {error} flow on', async () => {
    //  f ──► next
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { maxRetries: 0 } }).node('f', 'test.fail', {}, { continueOnFail: true }).node('next', 'test.echo').chain('f', 'next').build();
    const r = await runGraph(wf, t.catalog);
    expect(r.status).toBe('completed');
    expect(r.steps.find((s) => s.nodeId === 'f')).toMatchObject({ status: 'failed', error: { code: ErrorCode.NODE_FAILED }, output: { error: { code: ErrorCode.NODE_FAILED, message: 'fail #1' } } });
    expect(r.outputs.next).toEqual({ error: { code: ErrorCode.NODE_FAILED, message: 'fail #1' } });
  });
});

describe('executeWorkflow: timeouts and cancellation', () => {
  it('times a node out (retriable) with OUT_ERR_NODE_TIMEOUT and aborts its signal', async () => {
    //  slow (1000 ms, timeout 100 ms)
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 1 } }).node('slow', 'test.slow', { ms: 1000 }, { timeout: 100 }).build();
    const clock = createFakeClock({ autoAdvance: true });
    const r = await runGraph(wf, t.catalog, { clock });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: ErrorCode.NODE_TIMEOUT, nodeId: 'slow' });
    expect(r.events).toEqual(['start:slow#1', 'failed:slow#1', 'start:slow#2', 'failed:slow#2']);
    expect(clock.now() - 1_700_000_000_000).toBe(100 + 100 + 100);
  });

  it('times the run out from startedAt, aborting in-flight nodes', async () => {
    //  t ──► a(slow 10 s)
    const t = createTestCatalog();
    const wf = graph().trigger('t').settings({ timeout: 5000 }).node('a', 'test.slow', { ms: 10_000, ignoreAbort: true }).node('b', 'test.echo').chain('t', 'a', 'b').build();
    const clock = createFakeClock({ autoAdvance: true });
    const r = await runGraph(wf, t.catalog, { clock, startedAt: clock.now() - 1000 });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe(ErrorCode.RUN_TIMEOUT);
    expect(clock.now() - 1_700_000_000_000).toBe(4000);
    expect(r.steps.find((s) => s.nodeId === 'a')).toMatchObject({ status: 'failed', error: { code: ErrorCode.RUN_TIMEOUT } });
    expect(t.calls).toEqual(['a']);
  });

  it('fails at once when the run is already past its timeout (resume after a long gap)', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ timeout: 1000 }).node('a', 'test.echo').build();
    const clock = createFakeClock();
    const r = await runGraph(wf, t.catalog, { clock, startedAt: clock.now() - 2000 });
    expect(r.error?.code).toBe(ErrorCode.RUN_TIMEOUT);
    expect(t.calls).toEqual([]);
  });

  it('cancels: in-flight nodes see the abort, nothing new starts', async () => {
    //  t ──► a(slow) ──► b
    //  t ──► c(slow)
    const t = createTestCatalog();
    const wf = graph().trigger('t').node('a', 'test.slow', { ms: 1000 }).node('b', 'test.echo').node('c', 'test.slow', { ms: 1000 }).chain('t', 'a', 'b').chain('t', 'c').build();
    const controller = new AbortController();
    const clock = createFakeClock();
    const running = runGraph(wf, t.catalog, {
      clock, signal: controller.signal,
      hooks: { onStepStart: (s) => { if (s.nodeId === 'c') setImmediate(() => controller.abort()); } },
    });
    const r = await running;
    expect(r.status).toBe('cancelled');
    expect(r.error?.code).toBe(ErrorCode.RUN_CANCELLED);
    expect(t.calls.sort()).toEqual(['a', 'c']);
    expect(r.steps.filter((s) => s.status === 'cancelled').map((s) => s.nodeId).sort()).toEqual(['a', 'c']);
    expect(clock.now()).toBe(1_700_000_000_000); // nobody waited
  });

  it('aborts the ctx.signal a node holds, with the cancel reason', async () => {
    const t = createTestCatalog();
    const signals: AbortSignal[] = [];
    const watch = { ...(t.catalog.get('test.slow') as NodeDefinition), type: 'test.watch', execute: async (ctx: NodeContext) => {
      signals.push(ctx.signal);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      return { output: null };
    } } as NodeDefinition;
    const catalog = new Map([...t.catalog, ['test.watch', watch]]);
    const controller = new AbortController();
    const r = await runGraph(graph().node('w', 'test.watch').node('w2', 'test.watch', {}, { timeout: 50_000 }).build(), catalog, {
      clock: createFakeClock(),
      signal: controller.signal,
      hooks: { onStepStart: (s) => { if (s.nodeId === 'w2') setImmediate(() => controller.abort()); } },
    });
    expect(r.status).toBe('cancelled');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(signals.map((s) => (s.reason as { code?: string }).code)).toEqual([ErrorCode.RUN_CANCELLED, ErrorCode.RUN_CANCELLED]);
  });

  it('does not call a node cancelled between its start hook and its execution', async () => {
    const t = createTestCatalog();
    const controller = new AbortController();
    const r = await runGraph(graph().node('a', 'test.echo').build(), t.catalog, { signal: controller.signal, hooks: { onStepStart: () => controller.abort() } });
    expect(r.status).toBe('cancelled');
    expect(r.events).toEqual(['start:a#1', 'cancelled:a#1']);
    expect(t.calls).toEqual([]);
  });

  it('returns cancelled without running anything when the signal is already aborted', async () => {
    const t = createTestCatalog();
    const r = await runGraph(graph().node('a', 'test.echo').build(), t.catalog, { signal: AbortSignal.abort() });
    expect(r.status).toBe('cancelled');
    expect(t.calls).toEqual([]);
  });

  it('stops a retry backoff wait when cancelled', async () => {
    const t = createTestCatalog();
    const wf = graph().settings({ retryPolicy: { ...noJitter, maxRetries: 3, initialDelay: 60_000 } }).node('f', 'test.fail').build();
    const controller = new AbortController();
    const clock = createFakeClock();
    const r = await runGraph(wf, t.catalog, { clock, signal: controller.signal, hooks: { onStepFinish: () => { queueMicrotask(() => controller.abort()); } } });
    expect(r.status).toBe('cancelled');
    expect(t.calls).toEqual(['f']);
  });
});
