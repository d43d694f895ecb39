import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missedOccurrences, nextFireTimes, nextOccurrences, parseCron } from './index';
import type { ParsedCron } from './index';

function cron(expression: string): ParsedCron {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(result.message);
  return result.cron;
}
const at = (iso: string): number => Date.parse(iso);
const iso = (list: number[]): string[] => list.map((t) => new Date(t).toISOString());

describe('nextOccurrences in UTC', () => {
  it('steps through seconds, minutes and weekdays', () => {
    expect(iso(nextOccurrences(cron('*/20 * * * * *'), 'UTC', at('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:40.000Z', '2026-01-01T00:01:00.000Z',
    ]);
    // 2026-01-02 is a Friday.
    expect(iso(nextOccurrences(cron('0 9 * * mon-fri'), 'UTC', at('2026-01-02T10:00:00Z'), 2))).toEqual([
      '2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z',
    ]);
  });

  it('is strictly after afterMs even mid-second', () => {
    expect(iso(nextOccurrences(cron('* * * * * *'), 'UTC', at('2026-01-01T00:00:00.500Z'), 1))).toEqual(['2026-01-01T00:00:01.000Z']);
  });

  it('finds leap days and day-of-month AND day-of-week (node-cron rule)', () => {
    expect(iso(nextOccurrences(cron('0 0 29 2 *'), 'UTC', at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z',
    ]);
    // Friday the 13th.
    expect(iso(nextOccurrences(cron('0 0 13 * fri'), 'UTC', at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-02-13T00:00:00.000Z', '2026-03-13T00:00:00.000Z',
    ]);
  });

  it('matches a brute-force minute scan (property)', () => {
    const field = (max: number) => fc.oneof(fc.constant('*'), fc.integer({ min: 0, max }).map(String), fc.integer({ min: 1, max: 7 }).map((s) => `*/${s}`));
    fc.assert(
      fc.property(field(59), field(23), fc.integer({ min: 0, max: 400 * 86_400 }), (m, h, offsetSeconds) => {
        const c = cron(`${m} ${h} * * *`);
        const after = at('2026-01-01T00:00:00Z') + offsetSeconds * 1000;
        const got = nextOccurrences(c, 'UTC', after, 3);
        const want: number[] = [];
        for (let t = Math.floor(after / 60_000) * 60_000 + 60_000; want.length < 3; t += 60_000) {
          const d = new Date(t);
          if (c.minutes.includes(d.getUTCMinutes()) && c.hours.includes(d.getUTCHours())) want.push(t);
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});

describe('DST in Europe/Berlin (2026: spring 29 Mar 02:00→03:00, fall 25 Oct 03:00→02:00)', () => {
  it('a skipped local time fires once at the first valid instant after it', () => {
    expect(iso(nextOccurrences(cron('30 2 * * *'), 'Europe/Berlin', at('2026-03-28T12:00:00Z'), 2))).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the first valid instant after 02:30
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('several skipped times collapse into a single fire', () => {
    expect(iso(nextOccurrences(cron('*/15 2,3 * * *'), 'Europe/Berlin', at('2026-03-29T00:00:00Z'), 3))).toEqual([
      '2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z', '2026-03-29T01:30:00.000Z',
    ]);
  });

  it('does not fire twice when asked again from the transition instant', () => {
    expect(iso(nextOccurrences(cron('30 2 * * *'), 'Europe/Berlin', at('2026-03-29T01:00:00Z'), 1))).toEqual(['2026-03-30T00:30:00.000Z']);
  });

  it('a repeated local time fires once, at its first instance', () => {
    expect(iso(nextOccurrences(cron('30 2 * * *'), 'Europe/Berlin', at('2026-10-24T12:00:00Z'), 2))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) does not fire
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(cron('0 * * * *'), 'Europe/Berlin', at('2026-10-24T23:30:00Z'), 3))).toEqual([
      '2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z',
    ]);
  });
});

describe('DST in America/New_York (2026: spring 8 Mar 02:00→03:00, fall 1 Nov 02:00→01:00)', () => {
  it('spring-forward gap', () => {
    expect(iso(nextOccurrences(cron('30 2 * * *'), 'America/New_York', at('2026-03-07T12:00:00Z'), 3))).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT, the transition instant
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('fall-back repeat fires once, also when asked from inside the second instance', () => {
    expect(iso(nextOccurrences(cron('30 1 * * *'), 'America/New_York', at('2026-10-31T12:00:00Z'), 2))).toEqual([
      '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(cron('30 1 * * *'), 'America/New_York', at('2026-11-01T06:10:00Z'), 1))).toEqual(['2026-11-02T06:30:00.000Z']);
  });
});

describe('missedOccurrences / nextFireTimes', () => {
  it('returns the newest `limit` occurrences, oldest first', () => {
    const c = cron('0 * * * *');
    expect(iso(missedOccurrences(c, 'UTC', at('2026-01-01T00:00:00Z'), at('2026-01-01T05:30:00Z'), 2))).toEqual([
      '2026-01-01T04:00:00.000Z', '2026-01-01T05:00:00.000Z',
    ]);
    expect(missedOccurrences(c, 'UTC', at('2026-01-01T00:00:00Z'), at('2026-01-01T05:30:00Z'), 100)).toHaveLength(5);
    // A per-second cron missed for a year stays cheap.
    expect(missedOccurrences(cron('* * * * * *'), 'UTC', at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 3)).toHaveLength(3);
  });

  it('gives five fire times, or none for an invalid schedule', () => {
    expect(nextFireTimes({ cron: '0 9 * * *', timezone: 'Europe/Berlin' }, at('2026-06-01T00:00:00Z'))).toHaveLength(5);
    expect(nextFireTimes({ cron: '0 0 31 2 *' }, 0)).toEqual([]);
    const trigger = { id: 't', type: 'schedule', config: { cron: '0 9 * * *', timezone: 'UTC' } };
    expect(iso(nextFireTimes(trigger, at('2026-06-01T10:00:00Z'), 2))).toEqual(['2026-06-02T09:00:00.000Z', '2026-06-03T09:00:00.000Z']);
    expect(nextFireTimes({ cron: '0 9 * * *', timezone: 'Bad/Zone' }, 0)).toEqual([]);
  });
});
