/**
 * Strict parser for node-cron syntax: 5 fields (minute hour day-of-month month day-of-week) or 6 with
 * seconds first; `*`, numbers, names (jan…dec, sun…sat, full names too), ranges `a-b`, lists `a,b`, steps
 * `*\/n` and `a-b/n`, and the `@yearly`-style nicknames. Day-of-month and day-of-week are combined with AND
 * (node-cron's rule). Anything that can never fire (`0 0 31 2 *`) is rejected at parse time.
 */

/** A parsed expression: each field as the sorted list of allowed values (day-of-week 0–6, Sunday = 0). */
export interface ParsedCron {
  readonly source: string;
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /** True when day-of-month / day-of-week were `*` (no restriction). */
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

export type ParseCronResult = { ok: true; cron: ParsedCron } | { ok: false; message: string };

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Index of the first name (months start at 1). */
  nameBase?: number;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const MONTH_FULL = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_FULL = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: [...MONTH_NAMES, ...MONTH_FULL], nameBase: 1 },
  // 7 is accepted as Sunday and folded to 0.
  { name: 'day of week', min: 0, max: 7, names: [...DAY_NAMES, ...DAY_FULL], nameBase: 0 },
];

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Longest day-of-month each month can have (February: 29 in leap years). */
const MAX_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

class CronSyntaxError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      throw new CronSyntaxError(`${spec.name}: ${value} is out of range ${spec.min}-${spec.max}`);
    }
    return value;
  }
  const lower = text.toLowerCase();
  const index = spec.names?.indexOf(lower) ?? -1;
  if (index < 0) throw new CronSyntaxError(`${spec.name}: "${text}" is not a valid value`);
  const base = spec.nameBase ?? 0;
  const count = spec.max - base + (spec.name === 'day of week' ? 0 : 1);
  return (index % count) + base;
}

function parsePart(part: string, spec: FieldSpec, out: Set<number>): void {
  if (part === '') throw new CronSyntaxError(`${spec.name}: empty list item`);
  const pieces = part.split('/');
  if (pieces.length > 2) throw new CronSyntaxError(`${spec.name}: "${part}" has more than one step`);
  const [rangeText = '', stepText] = pieces;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1 || Number(stepText) > spec.max) {
      throw new CronSyntaxError(`${spec.name}: step "${stepText}" must be a number from 1 to ${spec.max}`);
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (rangeText === '*') {
    from = spec.min;
    to = spec.name === 'day of week' ? 6 : spec.max;
  } else if (rangeText.includes('-')) {
    const bounds = rangeText.split('-');
    if (bounds.length !== 2) throw new CronSyntaxError(`${spec.name}: "${rangeText}" is not a valid range`);
    from = parseValue(bounds[0] ?? '', spec);
    to = parseValue(bounds[1] ?? '', spec);
    if (from > to) throw new CronSyntaxError(`${spec.name}: range "${rangeText}" runs backwards`);
  } else {
    if (stepText !== undefined) throw new CronSyntaxError(`${spec.name}: a step needs "*" or a range, got "${part}"`);
    from = parseValue(rangeText, spec);
    to = from;
  }
  for (let v = from; v <= to; v += step) out.add(spec.name === 'day of week' && v === 7 ? 0 : v);
}

function parseField(text: string, spec: FieldSpec): number[] {
  if (text === '') throw new CronSyntaxError(`${spec.name}: empty field`);
  const values = new Set<number>();
  for (const part of text.split(',')) parsePart(part, spec, values);
  return [...values].sort((a, b) => a - b);
}

function assertSomeDayExists(daysOfMonth: readonly number[], months: readonly number[]): void {
  const possible = months.some((m) => daysOfMonth.some((d) => d <= (MAX_DAYS_IN_MONTH[m - 1] ?? 0)));
  if (!possible) throw new CronSyntaxError('day of month never exists in the allowed months');
}

/**
 * Parses a cron expression strictly. Never throws: bad input gives `{ok: false, message}` naming the
 * offending field.
 */
export function parseCron(expression: string): ParseCronResult {
  if (typeof expression !== 'string') return { ok: false, message: 'expression must be a string' };
  const trimmed = expression.trim();
  if (trimmed === '') return { ok: false, message: 'expression is empty' };
  // Fields are separated by spaces only: node-cron (which the design names) rejects tabs and newlines.
  if (/[^\S ]/.test(trimmed)) return { ok: false, message: 'fields must be separated by spaces (no tabs or line breaks)' };
  const expanded = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  const texts = expanded.split(/ +/);
  if (texts.length !== 5 && texts.length !== 6) {
    return { ok: false, message: `expected 5 or 6 fields, got ${texts.length}` };
  }
  const full = texts.length === 5 ? ['0', ...texts] : texts;
  try {
    const fields = FIELDS.map((spec, i) => parseField(full[i] ?? '', spec));
    const [seconds = [], minutes = [], hours = [], daysOfMonth = [], months = [], daysOfWeek = []] = fields;
    assertSomeDayExists(daysOfMonth, months);
    return {
      ok: true,
      cron: {
        source: trimmed,
        seconds,
        minutes,
        hours,
        daysOfMonth,
        months,
        daysOfWeek,
        anyDayOfMonth: daysOfMonth.length === 31,
        anyDayOfWeek: daysOfWeek.length === 7,
      },
    };
  } catch (error) {
    if (error instanceof CronSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}
