import { expect, it } from 'vitest';
import type { ContractContext } from './harness';

/** Trigger statistics, schedule occurrences and feed positions. */
export function triggerCases(c: ContractContext): void {
  it('counts trigger statistics atomically and keeps the last error', async () => {
    const t = c.store.triggers;
    expect(await t.getTriggerStats('ws', 't1')).toEqual({ fires: 0, runsStarted: 0, authFailures: 0, duplicatesDropped: 0, rateLimited: 0, errors: 0, lastFiredAt: null, lastError: null });
    await Promise.all(Array.from({ length: 25 }, () => t.incrementTriggerStat('ws', 't1', 'fires', { at: '2026-01-01T00:00:00.000Z' })));
    await t.incrementTriggerStat('ws', 't1', 'fires', { at: '2026-01-02T00:00:00.000Z' });
    await t.incrementTriggerStat('ws', 't1', 'runsStarted', { by: 3 });
    await t.incrementTriggerStat('ws', 't1', 'authFailures');
    await t.incrementTriggerStat('ws', 't1', 'duplicatesDropped', { by: 2 });
    await t.incrementTriggerStat('ws', 't1', 'rateLimited');
    await t.incrementTriggerStat('ws', 't1', 'errors', { by: 2 });
    await t.recordTriggerError('ws', 't1', { code: 'OUT_ERR_WEBHOOK_SIGNATURE', message: 'bad signature', at: '2026-01-02T00:00:00.000Z' });
    expect(await t.getTriggerStats('ws', 't1')).toEqual({
      fires: 26,
      runsStarted: 3,
      authFailures: 1,
      duplicatesDropped: 2,
      rateLimited: 1,
      errors: 2,
      lastFiredAt: '2026-01-02T00:00:00.000Z',
      lastError: { code: 'OUT_ERR_WEBHOOK_SIGNATURE', message: 'bad signature', at: '2026-01-02T00:00:00.000Z' },
    });
    expect((await t.getTriggerStats('ws', 't2')).fires).toBe(0);
  });

  it('advances the last fired occurrence only forward; exactly one of racing callers wins', async () => {
    const t = c.store.triggers;
    expect(await t.getLastFiredOccurrence('ws', 's1')).toBeNull();
    expect(await t.advanceLastFiredOccurrence('ws', 's1', '2026-01-01T09:00:00.000Z')).toBe(true);
    expect(await t.advanceLastFiredOccurrence('ws', 's1', '2026-01-01T09:00:00.000Z')).toBe(false);
    expect(await t.advanceLastFiredOccurrence('ws', 's1', '2026-01-01T08:00:00.000Z')).toBe(false);
    expect(await t.getLastFiredOccurrence('ws', 's1')).toBe('2026-01-01T09:00:00.000Z');
    const racers = await Promise.all(Array.from({ length: 20 }, () => t.advanceLastFiredOccurrence('ws', 's1', '2026-01-02T09:00:00.000Z')));
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect(await t.getLastFiredOccurrence('ws', 's1')).toBe('2026-01-02T09:00:00.000Z');
  });

  it('saves and reads change-feed positions per consumer', async () => {
    const t = c.store.triggers;
    expect(await t.getFeedPosition('listener')).toBeNull();
    await t.saveFeedPosition('listener', '41');
    await t.saveFeedPosition('listener', '42');
    await t.saveFeedPosition('other', '7');
    expect(await t.getFeedPosition('listener')).toBe('42');
    expect(await t.getFeedPosition('other')).toBe('7');
  });
}
