import { describe, expect, it } from 'vitest';
import { parseCron, validateSchedule, isValidTimeZone } from './index';

function ok(expression: string) {
  const result = parseCron(expression);
  if (!result.ok) throw new Error(`expected "${expression}" to parse: ${result.message}`);
  return result.cron;
}

describe('parseCron', () => {
  it('parses 5 fields with seconds defaulting to 0', () => {
    const cron = ok('*/15 9-17 * * mon-fri');
    expect(cron.seconds).toEqual([0]);
    expect(cron.minutes).toEqual([0, 15, 30, 45]);
    expect(cron.hours).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(cron.anyDayOfMonth).toBe(true);
    expect(cron.anyDayOfWeek).toBe(false);
  });

  it('parses 6 fields with seconds first, lists, ranges with steps and names', () => {
    const cron = ok('5,10 0 12 1-10/3 JAN,March sunday,7');
    expect(cron.seconds).toEqual([5, 10]);
    expect(cron.daysOfMonth).toEqual([1, 4, 7, 10]);
    expect(cron.months).toEqual([1, 3]);
    expect(cron.daysOfWeek).toEqual([0]);
  });

  it('expands nicknames', () => {
    expect(ok('@daily').hours).toEqual([0]);
    expect(ok('@weekly').daysOfWeek).toEqual([0]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['* * * *', 'got 4'],
    ['* * * * * * *', 'got 7'],
    ['0\t0 * * *', 'separated by spaces'],
    ['0 0 * *\n*', 'separated by spaces'],
    ['60 * * * *', 'minute: 60 is out of range'],
    ['* 24 * * *', 'hour: 24'],
    ['* * 0 * *', 'day of month: 0'],
    ['* * 32 * *', 'day of month: 32'],
    ['* * * 13 *', 'month: 13'],
    ['* * * * 8', 'day of week: 8'],
    ['60 * * * * *', 'second: 60'],
    ['*/0 * * * *', 'step'],
    ['5-1 * * * *', 'backwards'],
    ['1,,2 * * * *', 'empty list item'],
    ['a * * * *', 'not a valid value'],
    ['* * * foo *', 'not a valid value'],
    ['5/10 * * * *', 'a step needs'],
    ['0 0 31 2 *', 'never exists'],
    ['0 0 30,31 2 *', 'never exists'],
    ['0 0 31 4,6,9,11 *', 'never exists'],
    ['1-2-3 * * * *', 'not a valid range'],
    ['-1 * * * *', 'not a valid value'],
  ])('rejects %j (%s)', (expression, fragment) => {
    const result = parseCron(expression);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
  });

  it('accepts dates that exist only in some allowed months', () => {
    expect(ok('0 0 29 2 *').daysOfMonth).toEqual([29]);
    expect(ok('0 0 31 1,2 *').months).toEqual([1, 2]);
  });
});

describe('validateSchedule / isValidTimeZone', () => {
  it('reports the cron and the zone separately', () => {
    expect(validateSchedule({ cron: '0 9 * * *', timezone: 'Europe/Berlin' })).toEqual([]);
    expect(validateSchedule({ cron: '0 0 31 2 *', timezone: 'Mars/Olympus' }).map((p) => p.path)).toEqual(['cron', 'timezone']);
  });
  it('knows IANA zones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Nowhere/Land')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
