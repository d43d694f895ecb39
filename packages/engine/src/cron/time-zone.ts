/**
 * Time-zone arithmetic on top of `Intl.DateTimeFormat` (no I/O, no tz database of our own).
 * "Naive" times are local wall-clock times encoded as if they were UTC epoch milliseconds.
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone (or `UTC`) this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'GMT';
}

/** Since 1980 every zone transition falls on a quarter hour (UTC), so offsets are cached per quarter hour. */
const QUARTER_HOUR_MS = 900_000;
const CACHE_FROM_MS = Date.UTC(1980, 0, 1);
const CACHE_LIMIT = 100_000;
const offsetCaches = new Map<string, Map<number, number>>();

/** Offset of `timeZone` at instant `ms`, in ms (local − UTC), at whole-second precision. */
export function offsetAt(timeZone: string, ms: number): number {
  if (isUtc(timeZone)) return 0;
  if (ms < CACHE_FROM_MS) return computeOffset(timeZone, ms);
  let cache = offsetCaches.get(timeZone);
  if (!cache) offsetCaches.set(timeZone, (cache = new Map()));
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let offset = cache.get(quarter);
  if (offset === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    offset = computeOffset(timeZone, quarter * QUARTER_HOUR_MS);
    cache.set(quarter, offset);
  }
  return offset;
}

/** The offset read from `Intl` without the cache (tests compare both). */
export function computeOffset(timeZone: string, ms: number): number {
  const seconds = Math.floor(ms / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(seconds);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value); break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
      case 'era': bc = part.value.startsWith('B'); break;
      default: break;
    }
  }
  const naive = new Date(0);
  naive.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  naive.setUTCHours(hour, minute, second, 0);
  return naive.getTime() - seconds;
}

/** The local wall-clock time of instant `ms` as a naive value. */
export function toNaive(timeZone: string, ms: number): number {
  return ms + offsetAt(timeZone, ms);
}

/**
 * The instant a naive local time denotes. A time repeated by fall-back resolves to its first
 * instance; a time skipped by spring-forward resolves to the transition instant (the first valid
 * instant after it).
 */
export function fromNaive(timeZone: string, naive: number): number {
  if (isUtc(timeZone)) return naive;
  const before = offsetAt(timeZone, naive - 24 * HOUR_MS);
  const after = offsetAt(timeZone, naive + 24 * HOUR_MS);
  let best: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = naive - offset;
    if (offsetAt(timeZone, candidate) === offset && (best === undefined || candidate < best)) best = candidate;
  }
  if (best !== undefined) return best;
  // In a gap: the transition lies between the two readings; find its first second.
  let lo = Math.min(naive - before, naive - after);
  let hi = Math.max(naive - before, naive - after);
  const loOffset = offsetAt(timeZone, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(timeZone, mid) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}
