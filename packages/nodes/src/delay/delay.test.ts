import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { createManualClock } from '../testing/manual-clock';
import { runNode } from '../testing/run-node';
import { delayNode } from '.';

const input = { keep: 'me' };

describe('delay', () => {
  it('parks the run for long durations, then completes on resume once the time has come', async () => {
    const clock = createManualClock();
    const start = clock.now();
    const first = await runNode(delayNode, { params: { duration: 60_000 }, input, clock });
    expect(first.park).toEqual({ resumeAt: start + 60_000, state: { resumeAt: start + 60_000 } });
    expect(clock.sleeps).toEqual([]);

    clock.advance(60_000);
    const resumed = await runNode(delayNode, { params: { duration: 60_000 }, input, clock, resumeState: first.park?.state });
    expect(resumed.park).toBeUndefined();
    expect(resumed.output).toEqual(input);
  });

  it('parks again when resumed too early (the original deadline is kept)', async () => {
    const clock = createManualClock();
    const first = await runNode(delayNode, { params: { duration: 10_000 }, clock });
    clock.advance(3000);
    const early = await runNode(delayNode, { params: { duration: 10_000 }, clock, resumeState: first.park?.state });
    expect(early.park?.resumeAt).toBe(first.park?.resumeAt);
  });

  it('sleeps in place for waits under one second', async () => {
    const clock = createManualClock();
    const result = await runNode(delayNode, { params: { duration: 250 }, input, clock });
    expect(result.park).toBeUndefined();
    expect(clock.sleeps).toEqual([250]);
    expect(result.output).toEqual(input);
  });

  it('waits until an ISO time; a past time completes at once', async () => {
    const clock = createManualClock(Date.parse('2026-03-01T09:00:00Z'));
    const later = await runNode(delayNode, { params: { until: '2026-03-01T10:00:00+00:00' }, clock });
    expect(later.park?.resumeAt).toBe(Date.parse('2026-03-01T10:00:00Z'));
    const past = await runNode(delayNode, { params: { until: '2026-02-01T00:00:00Z' }, clock });
    expect(past.park).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
  });

  it('a short in-place sleep is aborted by the signal', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(runNode(delayNode, { params: { duration: 500 }, signal: controller.signal })).rejects.toBe(reason);
  });

  it('needs exactly one of duration and until', async () => {
    await expect(runNode(delayNode, { params: {} })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
    await expect(runNode(delayNode, { params: { duration: 1, until: '2026-01-01T00:00:00Z' } })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
    await expect(runNode(delayNode, { params: { duration: -1 } })).rejects.toMatchObject({ details: [{ path: 'data.duration' }] });
    await expect(runNode(delayNode, { params: { until: 'tomorrow' } })).rejects.toMatchObject({ details: [{ path: 'data.until' }] });
  });
});
