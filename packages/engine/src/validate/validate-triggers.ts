import { ErrorCode, Trigger } from '@outrun/schemas';
import { validateSchedule } from '../cron';
import type { ValidationProblem } from '../types';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Strict cron and time-zone checks of a schedule config (run even when other fields are invalid). */
function checkSchedule(config: unknown, base: string, problems: ValidationProblem[]): void {
  if (!isObject(config) || typeof config.cron !== 'string') return;
  const timezone = typeof config.timezone === 'string' ? config.timezone : undefined;
  for (const problem of validateSchedule(timezone === undefined ? { cron: config.cron } : { cron: config.cron, timezone })) {
    problems.push(problem.path === 'cron'
      ? { code: ErrorCode.INVALID_CRON, path: `${base}.config.cron`, message: `Invalid cron expression "${config.cron}": ${problem.message}` }
      : { code: ErrorCode.TRIGGER_INVALID, path: `${base}.config.timezone`, message: `Unknown time zone "${timezone}"` });
  }
}

/**
 * Parses every trigger with the `Trigger` schema (issues → OUT_ERR_TRIGGER_INVALID at their path),
 * validates schedule cron expressions strictly (→ OUT_ERR_INVALID_CRON) and rejects duplicate ids.
 * Returns the ids of the triggers, valid or not, so trigger nodes can be matched.
 */
export function validateTriggers(triggers: unknown[], problems: ValidationProblem[]): Set<string> {
  const ids = new Set<string>();
  for (let i = 0; i < triggers.length; i++) {
    const raw = triggers[i];
    const base = `triggers.${i}`;
    const parsed = Trigger.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.path.length === 2 && issue.path[0] === 'config' && issue.path[1] === 'cron') continue; // reported by checkSchedule
        const path = issue.path.length === 0 ? base : `${base}.${issue.path.map(String).join('.')}`;
        problems.push({ code: ErrorCode.TRIGGER_INVALID, path, message: issue.message });
      }
    }
    if (!isObject(raw)) continue;
    if (raw.type === 'schedule') {
      if (isObject(raw.config) && typeof raw.config.cron !== 'string') problems.push({ code: ErrorCode.INVALID_CRON, path: `${base}.config.cron`, message: 'A schedule trigger needs a cron expression' });
      checkSchedule(raw.config, base, problems);
    }
    if (typeof raw.id === 'string') {
      if (ids.has(raw.id)) problems.push({ code: ErrorCode.TRIGGER_INVALID, path: `${base}.id`, message: `Duplicate trigger id "${raw.id}"` });
      ids.add(raw.id);
    }
  }
  return ids;
}
