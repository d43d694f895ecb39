/**
 * The `npm run bench` scenarios of issue 20's last items, each in its smallest form (a second or two of load, a few
 * runs): what is checked is correctness — nothing lost, nothing duplicated, every step recorded, every run of the
 * recovery finished exactly once — and that the figures are there, never the speed (performance claims come from
 * the bench itself, not from timed tests).
 */
import { describe, expect, it } from 'vitest';
import { runE2eDistributed } from './e2e-distributed';
import { runE2eEmbedded } from './e2e-embedded';
import { runRecovery } from './recovery';
import { distributedCorrect, embeddedCorrect, recoveryCorrect } from './scenario-rows';

describe('bench scenarios, smallest form', () => {
  it('latency-300 at a steady low rate: latencies from the store, nothing lost or duplicated, every step recorded', async () => {
    const r = await runE2eEmbedded(2, 5, { rate: 30 });
    expect(r.accepted).toBeGreaterThan(10);
    expect(embeddedCorrect(r), JSON.stringify(r)).toBe(true);
    expect(r.latencyP50Ms).toBeGreaterThan(0);
    expect(r.latencyP99Ms).toBeGreaterThanOrEqual(r.latencyP50Ms);
  });

  it('memory: idle and peak RSS of the stack are measured, the overload run stays correct', async () => {
    const r = await runE2eEmbedded(2, 10, { backlogHighWater: 2_000 });
    expect(r.idleRssMb).toBeGreaterThan(20);
    expect(r.peakStackRssMb).toBeGreaterThanOrEqual(r.idleRssMb * 0.5);
    expect(r.peakRssMb).toBeGreaterThan(r.peakStackRssMb); // the npm wrapper is counted apart
    expect(embeddedCorrect(r), JSON.stringify(r)).toBe(true);
  });

  it('e2e-distributed with one runner: through the gateway, every run recorded once with its steps', async () => {
    const r = await runE2eDistributed(1, 3, 5);
    expect(r.accepted, JSON.stringify(r)).toBeGreaterThan(5);
    expect(distributedCorrect(r), JSON.stringify(r)).toBe(true);
    expect(r.sinkRuns, JSON.stringify(r)).toBe(r.recorded);
    expect(r.peakRssMb).toBeGreaterThan(0);
  });

  it('recovery: kill -9 of the runner with runs in flight; a new runner finishes every run exactly once', async () => {
    const r = await runRecovery(30);
    expect(r.inFlightAtKill).toBeGreaterThan(0);
    expect(r.unfinished).toBe(0);
    expect(recoveryCorrect(r), JSON.stringify(r)).toBe(true);
  });
});
