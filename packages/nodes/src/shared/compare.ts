/**
 * Comparison operators shared by `condition` and `switch`, with JSON semantics:
 * deep equality, numeric comparison when both sides are numbers (or numeric strings), regex matching.
 */
import { z } from 'zod';
import { checkSafeRegex, safeTest, SafeRegexError } from '@outrun/engine';
import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';

export const Operator = z.enum(['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'isEmpty', 'matches']);
export type Operator = z.infer<typeof Operator>;

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

const asNumber = (v: JsonValue | undefined): number | null => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

function order(a: JsonValue | undefined, b: JsonValue | undefined): number | null {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Empty means null/undefined, `''`, `[]` or `{}`. */
export function isEmpty(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function contains(haystack: JsonValue | undefined, needle: JsonValue | undefined): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' || typeof needle === 'number' ? haystack.includes(String(needle)) : false;
  if (Array.isArray(haystack)) return haystack.some((item) => deepEqual(item, needle));
  if (haystack !== null && typeof haystack === 'object') return typeof needle === 'string' && Object.hasOwn(haystack, needle);
  return false;
}

function matches(value: JsonValue | undefined, pattern: JsonValue | undefined, path: string): boolean {
  if (typeof pattern !== 'string') {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, 'The "matches" operator needs a regular expression string', { details: [{ path, message: 'expected a regex string' }] });
  }
  try {
    if (typeof value !== 'string' && typeof value !== 'number') {
      checkSafeRegex(pattern); // a bad pattern fails whatever the value
      return false;
    }
    return safeTest(pattern, String(value));
  } catch (error) {
    if (!(error instanceof SafeRegexError)) throw error;
    // A pattern RE2 cannot run keeps the params code (the field is wrong); a too-long text is a regex limit.
    const code = error.reason === 'syntax' ? ErrorCode.INVALID_NODE_PARAMS : ErrorCode.REGEX;
    throw new NonRetriableError(code, error.message, { details: [{ path, message: error.reason === 'syntax' ? 'invalid or unsupported regular expression' : error.message }] });
  }
}

/**
 * Why `pattern` cannot be a `matches` operand (RE2: linear time, no backreferences or lookaround), or null.
 * Params schemas call it for static operands so the workflow is refused at save with the field's path.
 */
export function regexProblem(pattern: string): string | null {
  try {
    checkSafeRegex(pattern);
    return null;
  } catch (error) {
    if (error instanceof SafeRegexError) return error.message;
    throw error;
  }
}

/** Static `matches` operands are checked when the workflow is saved (templates only at run time). */
export function refineRegexOperand(operator: Operator, operand: JsonValue | undefined, path: Array<string | number>, issue: z.RefinementCtx): void {
  if (operator !== 'matches' || typeof operand !== 'string' || operand.includes('{{')) return;
  const problem = regexProblem(operand);
  if (problem !== null) issue.addIssue({ code: 'custom', path, message: problem });
}

/** Applies `operator` to `left` and `right`. `rightPath` names the right-hand param in errors. */
export function compare(operator: Operator, left: JsonValue | undefined, right: JsonValue | undefined, rightPath = 'right'): boolean {
  switch (operator) {
    case 'equals':
      return deepEqual(left, right);
    case 'notEquals':
      return !deepEqual(left, right);
    case 'gt':
      return (order(left, right) ?? Number.NaN) > 0;
    case 'gte':
      return (order(left, right) ?? Number.NaN) >= 0;
    case 'lt':
      return (order(left, right) ?? Number.NaN) < 0;
    case 'lte':
      return (order(left, right) ?? Number.NaN) <= 0;
    case 'contains':
      return contains(left, right);
    case 'exists':
      return left !== undefined && left !== null;
    case 'isEmpty':
      return isEmpty(left);
    case 'matches':
      return matches(left, right, rightPath);
  }
}

/** JSONata-like truthiness for expression results. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}
