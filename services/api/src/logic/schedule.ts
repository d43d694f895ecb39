/** Next fire times of a schedule trigger, from the engine's cron implementation (the listener uses the same). */
import { nextFireTimes as engineNextFireTimes } from '@outrun/engine';
import type { ScheduleConfig } from '@outrun/schemas';

/** ISO instants of the next `count` occurrences; null when the expression or zone is invalid. */
export function nextFireTimes(config: ScheduleConfig, from: Date, count: number): string[] | null {
  const times = engineNextFireTimes({ cron: config.cron, timezone: config.timezone }, from.getTime(), count);
  return times.length === 0 ? null : times.map((ms) => new Date(ms).toISOString());
}
