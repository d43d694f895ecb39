/**
 * Cron: strict node-cron syntax, time-zone-aware occurrence math with explicit DST rules. Pure: time
 * comes in as arguments, zones through `Intl.DateTimeFormat`.
 */
import { parseCron } from './parse-cron';
import { nextOccurrences } from './next-occurrences';
import { isValidTimeZone } from './time-zone';

export type { ParsedCron, ParseCronResult } from './parse-cron';
export { parseCron } from './parse-cron';
export { nextOccurrences, missedOccurrences } from './next-occurrences';
export { isValidTimeZone } from './time-zone';

/** A schedule config (`{cron, timezone}`) or a schedule trigger carrying one in `config`. */
export type ScheduleLike = { cron: string; timezone?: string } | { config: { cron: string; timezone?: string } };

/**
 * The next `count` fire times (epoch ms) of a schedule after `nowMs`; `[]` when the expression or the zone is
 * invalid. For the API's trigger detail and the editor.
 */
export function nextFireTimes(scheduleOrTrigger: ScheduleLike, nowMs: number, count = 5): number[] {
  const schedule = 'config' in scheduleOrTrigger ? scheduleOrTrigger.config : scheduleOrTrigger;
  const timezone = schedule.timezone ?? 'UTC';
  const parsed = parseCron(schedule.cron);
  if (!parsed.ok || !isValidTimeZone(timezone)) return [];
  return nextOccurrences(parsed.cron, timezone, nowMs, count);
}

/**
 * Save-time validation of a schedule: a list of problems (empty when valid) with the path inside the
 * schedule config, so the API can report them as validation details.
 */
export function validateSchedule(schedule: { cron: string; timezone?: string }): Array<{ path: 'cron' | 'timezone'; message: string }> {
  const problems: Array<{ path: 'cron' | 'timezone'; message: string }> = [];
  const parsed = parseCron(schedule.cron);
  if (!parsed.ok) problems.push({ path: 'cron', message: parsed.message });
  if (schedule.timezone !== undefined && !isValidTimeZone(schedule.timezone)) {
    problems.push({ path: 'timezone', message: `unknown time zone "${schedule.timezone}"` });
  }
  return problems;
}
