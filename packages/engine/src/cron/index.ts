/**
 * Cron: strict node-cron syntax, time-zone-aware occurrence math with explicit DST rules. Pure: time
 * comes in as arguments, zones through `Intl.DateTimeFormat`.
 */
import { parseCron, type ParsedCron } from './parse-cron';
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

export interface ScheduleProblem {
  path: 'cron' | 'timezone';
  message: string;
}

/**
 * The one validation of a schedule, used by the API when a workflow is saved and by the listener when it
 * indexes the trigger, so a schedule the API accepts is never rejected later. Returns the parsed
 * expression, or the problems (with their path inside the schedule config).
 */
export function checkSchedule(schedule: { cron: string; timezone?: string }): { ok: true; cron: ParsedCron } | { ok: false; problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  const parsed = parseCron(schedule.cron);
  if (!parsed.ok) problems.push({ path: 'cron', message: parsed.message });
  if (schedule.timezone !== undefined && !isValidTimeZone(schedule.timezone)) {
    problems.push({ path: 'timezone', message: `unknown time zone "${schedule.timezone}"` });
  }
  return parsed.ok && problems.length === 0 ? { ok: true, cron: parsed.cron } : { ok: false, problems };
}

/** The problems of {@link checkSchedule} alone (empty when valid). */
export function validateSchedule(schedule: { cron: string; timezone?: string }): ScheduleProblem[] {
  const checked = checkSchedule(schedule);
  return checked.ok ? [] : checked.problems;
}
