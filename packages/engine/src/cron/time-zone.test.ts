import { describe, expect, it } from 'vitest';
import { computeOffset, fromNaive, offsetAt, toNaive } from './time-zone';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Casablanca', 'America/Santiago'];

/** Every offset change of `zone` between `from` and `to`, to the second (hourly scan + binary search). */
function transitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += 3_600_000) {
    if (computeOffset(zone, t) === computeOffset(zone, t + 3_600_000)) continue;
    let lo = t;
    let hi = t + 3_600_000;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (computeOffset(zone, mid) === computeOffset(zone, lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

describe('offsetAt (quarter-hour cache)', () => {
  it.each(ZONES)('agrees with Intl at every transition of %s in 2024–2027', (zone) => {
    const list = transitions(zone, Date.UTC(2024, 0, 1), Date.UTC(2028, 0, 1));
    expect(list.length).toBeGreaterThanOrEqual(zone === 'Asia/Kathmandu' ? 0 : 1);
    for (const t of list) {
      expect(t % 900_000).toBe(0);
      for (const probe of [t - 1000, t, t + 1000]) expect(offsetAt(zone, probe)).toBe(computeOffset(zone, probe));
    }
  });

  it('round-trips instants through naive local time outside transitions', () => {
    for (const zone of ZONES) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 86_400_000 + 12_345_000) {
        expect(fromNaive(zone, toNaive(zone, t))).toBeLessThanOrEqual(t);
      }
    }
  });
});
