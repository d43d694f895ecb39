import type { ParsedCron } from './parse-cron';
import { fromNaive, toNaive } from './time-zone';

/** How far ahead to look: Feb 29 on a given weekday can be 40 years away (across 2100). */
const HORIZON_MS = 50 * 366 * 86_400_000;

function firstAtLeast(values: readonly number[], min: number): number | undefined {
  for (const v of values) if (v >= min) return v;
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(cron: ParsedCron, year: number, month: number, day: number): boolean {
  if (!cron.anyDayOfMonth && !cron.daysOfMonth.includes(day)) return false;
  if (cron.anyDayOfWeek) return true;
  return cron.daysOfWeek.includes(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
}

/** The first naive (local wall-clock) second ≥ `start` matching every field, or null within the horizon. */
export function nextNaiveMatch(cron: ParsedCron, start: number): number | null {
  const limit = start + HORIZON_MS;
  let t = Math.ceil(start / 1000) * 1000;
  while (t <= limit) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const h = d.getUTCHours();
    const mi = d.getUTCMinutes();
    const nextMonth = firstAtLeast(cron.months, mo);
    if (nextMonth === undefined) { t = Date.UTC(y + 1, (cron.months[0] ?? 1) - 1, 1); continue; }
    if (nextMonth !== mo) { t = Date.UTC(y, nextMonth - 1, 1); continue; }
    if (!dayMatches(cron, y, mo, day)) {
      const nextDom = cron.anyDayOfMonth ? day + 1 : firstAtLeast(cron.daysOfMonth, day + 1);
      t = nextDom === undefined || nextDom > daysInMonth(y, mo) ? Date.UTC(y, mo, 1) : Date.UTC(y, mo - 1, nextDom);
      continue;
    }
    const nextHour = firstAtLeast(cron.hours, h);
    if (nextHour === undefined) { t = Date.UTC(y, mo - 1, day + 1); continue; }
    if (nextHour !== h) { t = Date.UTC(y, mo - 1, day, nextHour); continue; }
    const nextMinute = firstAtLeast(cron.minutes, mi);
    if (nextMinute === undefined) { t = Date.UTC(y, mo - 1, day, h + 1); continue; }
    if (nextMinute !== mi) { t = Date.UTC(y, mo - 1, day, h, nextMinute); continue; }
    const nextSecond = firstAtLeast(cron.seconds, d.getUTCSeconds());
    if (nextSecond === undefined) { t = Date.UTC(y, mo - 1, day, h, mi + 1); continue; }
    return Date.UTC(y, mo - 1, day, h, mi, nextSecond);
  }
  return null;
}

/**
 * The next `count` fire instants (epoch ms, strictly after `afterMs`, strictly increasing) of `cron`
 * in `timezone`. DST: a local time skipped by spring-forward fires once, at the transition instant
 * (several skipped times collapse into that one fire); a local time repeated by fall-back fires once,
 * at its first instance.
 */
export function nextOccurrences(cron: ParsedCron, timezone: string, afterMs: number, count: number): number[] {
  const result: number[] = [];
  let last = afterMs;
  let naive = Math.floor(toNaive(timezone, afterMs) / 1000) * 1000 + 1000;
  // Bounded: a repeated hour of a per-second cron costs at most ~3,600 skipped candidates.
  for (let guard = 0; result.length < count && guard < count + 10_000; guard++) {
    const match = nextNaiveMatch(cron, naive);
    if (match === null) break;
    const instant = fromNaive(timezone, match);
    if (instant > last) {
      result.push(instant);
      last = instant;
    }
    naive = match + 1000;
  }
  return result;
}

/**
 * The newest `limit` occurrences in the half-open window (`afterMs`, `untilMs`], oldest first: what a
 * schedule missed while no listener ran. Looks backwards from `untilMs` in doubling windows, so a
 * per-second cron missed for a year costs about `limit` steps, not 31 million.
 */
export function missedOccurrences(cron: ParsedCron, timezone: string, afterMs: number, untilMs: number, limit: number): number[] {
  if (limit < 1 || untilMs <= afterMs) return [];
  for (let window = 60_000; ; window *= 2) {
    const from = Math.max(afterMs, untilMs - window);
    const found: number[] = [];
    let cursor = from;
    for (;;) {
      const batch = nextOccurrences(cron, timezone, cursor, 256);
      for (const t of batch) {
        if (t > untilMs) break;
        found.push(t);
      }
      const tail = batch[batch.length - 1];
      if (batch.length < 256 || tail === undefined || tail > untilMs) break;
      cursor = tail;
    }
    if (found.length >= limit || from === afterMs) return found.slice(-limit);
  }
}
