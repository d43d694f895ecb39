import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@outrun/schemas';
import { seededRandom, systemClock } from './system-clock';

describe('createFakeClock', () => {
  it('fires sleeps in deadline order when advanced manually', async () => {
    const clock = createFakeClock({ start: 0 });
    const order: string[] = [];
    void clock.sleep(300).then(() => order.push(`300@${clock.now()}`));
    void clock.sleep(100).then(() => order.push(`100@${clock.now()}`));
    await clock.advance(150);
    expect(order).toEqual(['100@100']);
    expect(clock.pendingSleeps()).toBe(1);
    await clock.advance(1000);
    expect(order).toEqual(['100@100', '300@300']);
    expect(clock.now()).toBe(1150);
  });

  it('auto-advances to the earliest sleep when everyone waits', async () => {
    const clock = createFakeClock({ start: 0, autoAdvance: true });
    const done = await Promise.all([clock.sleep(50).then(() => clock.now()), clock.sleep(20).then(() => clock.now())]);
    expect(done).toEqual([50, 20]);
  });

  it('rejects an aborted sleep with the reason and forgets it', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const p = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pendingSleeps()).toBe(0);
    await expect(clock.sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('systemClock', () => {
  it('sleeps for real and can be aborted', async () => {
    const t0 = systemClock.now();
    await systemClock.sleep(5);
    expect(systemClock.now() - t0).toBeGreaterThanOrEqual(4);
    const controller = new AbortController();
    const p = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
  });
});

describe('seededRandom', () => {
  it('is reproducible and within [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
