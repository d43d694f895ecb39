import { ErrorCode, UserError } from '@outrun/schemas';

/**
 * Normalises an ISO timestamp to `toISOString()` form (UTC, milliseconds), so stored timestamps sort as text.
 * @throws UserError(VALIDATION) for an unparseable instant.
 */
export function isoInstant(value: string | Date, path = 'at'): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new UserError(ErrorCode.VALIDATION, `Invalid timestamp at ${path}.`, 400, { details: [{ path, message: 'not an ISO-8601 instant' }] });
  return date.toISOString();
}

/** Milliseconds between two ISO instants, never negative. */
export function durationMs(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}

/** The first instant of the per-day window: midnight UTC `days - 1` days before `now`. */
export function windowStart(now: Date, days: number): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start;
}

/** `YYYY-MM-DD` of each day of the window, oldest first. */
export function windowDays(now: Date, days: number): string[] {
  const start = windowStart(now, days);
  return Array.from({ length: days }, (_, i) => new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}
