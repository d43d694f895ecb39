/**
 * JSONata's time guardrail runs between evaluation steps, so one built-in call that allocates
 * (`$pad("", 5e7)`, `$join` of a huge array, `$length` of a giant string) ran to completion — seconds of
 * blocked event loop and hundreds of MB. Every built-in of a compiled expression is replaced by a wrapper that
 * checks its arguments before the call (string and array sizes, `$pad`'s width, `$join`'s total) and charges
 * the size of its result to a per-evaluation budget afterwards. V8 concatenates strings as ropes, so results
 * built by concatenation are cheap until something flattens them — which is exactly what the argument check on
 * the next built-in refuses.
 */
import jsonata from 'jsonata';

/** Size limits of one JSONata evaluation (documented in docs/security-compute.md). */
export const EXPRESSION_LIMITS = {
  /** Longest string a built-in accepts or returns, and the longest string result (characters). */
  maxStringLength: 5_000_000,
  /** Longest array a built-in accepts or returns, and the largest range (`[1..n]`). */
  maxSequenceLength: 1_000_000,
  /** Characters plus array items built-ins may return in total during one evaluation. */
  maxAllocated: 50_000_000,
} as const;

/** Thrown (as JSONata throws: a plain object with a code) when a limit is hit. */
export interface ExpressionLimitError {
  code: 'OUTRUN_LIMIT';
  message: string;
  position?: number;
}

const limitError = (message: string): ExpressionLimitError => ({ code: 'OUTRUN_LIMIT', message });

/** The budget lives on JSONata's per-evaluation root frame (`this.environment.base`), out of the user's reach. */
const SPENT = Symbol('outrun.allocated');

interface FunctionFocus {
  environment: { base: Record<symbol, number | undefined> };
}

interface JsonataFunction {
  _jsonata_function: true;
  implementation: (this: unknown, ...args: unknown[]) => unknown;
  signature?: unknown;
}

/** Names of JSONata's built-in functions (2.x), wrapped whatever they do: one rule for all. */
const BUILTIN_NAMES = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase',
  'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase', 'formatInteger',
  'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter',
  'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type',
  'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl',
  'eval', 'toMillis', 'fromMillis', 'clone',
] as const;

/** The bounded stand-ins, built once and shared by every compiled expression (budgets are per evaluation). */
let bounded: Map<string, JsonataFunction> | undefined;

/** Resolves once JSONata's own implementations were looked up (they are only reachable by evaluating `$name`). */
export const builtinsReady: Promise<void> = (async () => {
  const found = new Map<string, JsonataFunction>();
  const all = (await jsonata(`[${BUILTIN_NAMES.map((n) => `$${n}`).join(',')}]`).evaluate(null)) as unknown[];
  BUILTIN_NAMES.forEach((name, i) => {
    const fn = all[i] as JsonataFunction | undefined;
    // Same signature object (already parsed): JSONata validates and coerces arguments before our wrapper runs.
    if (fn?._jsonata_function === true) found.set(name, { ...fn, implementation: wrap(name, fn) as JsonataFunction['implementation'] });
  });
  bounded = found;
})();

/** True once `builtinsReady` resolved (lets hot paths skip the await). */
export const builtinsLoaded = (): boolean => bounded !== undefined;

function checkArgument(name: string, value: unknown): void {
  if (typeof value === 'string' && value.length > EXPRESSION_LIMITS.maxStringLength) {
    throw limitError(`$${name} was given a string of ${value.length} characters (at most ${EXPRESSION_LIMITS.maxStringLength})`);
  }
  if (Array.isArray(value) && value.length > EXPRESSION_LIMITS.maxSequenceLength) {
    throw limitError(`$${name} was given an array of ${value.length} items (at most ${EXPRESSION_LIMITS.maxSequenceLength})`);
  }
}

/** Checks that need the arguments together: what the call would allocate at once. */
function checkCall(name: string, args: unknown[]): void {
  const max = EXPRESSION_LIMITS.maxStringLength;
  if (name === 'pad' && typeof args[1] === 'number') {
    const fill = typeof args[2] === 'string' && args[2].length > 0 ? args[2].length : 1;
    if (Math.abs(args[1]) * fill > max) throw limitError(`$pad to ${Math.abs(args[1])} characters is longer than ${max}`);
  }
  if (name === 'join' && Array.isArray(args[0])) {
    const separator = typeof args[1] === 'string' ? args[1].length : 0;
    let total = 0;
    for (const s of args[0]) total += (typeof s === 'string' ? s.length : 0) + separator;
    if (total > max) throw limitError(`$join would build ${total} characters (at most ${max})`);
  }
  if (name === 'eval' && typeof args[0] === 'string' && args[0].includes('..') && hasRange(args[0])) {
    // `$eval` parses and runs its text with JSONata's own range operator, which compile-time rewriting cannot reach.
    throw limitError('ranges (a..b) are not allowed inside $eval');
  }
  if (name === 'replace' && typeof args[0] === 'string' && typeof args[1] === 'string' && typeof args[2] === 'string' && args[1].length > 0) {
    const occurrences = Math.min(countOccurrences(args[0], args[1]), typeof args[3] === 'number' ? Math.max(0, args[3]) : Infinity);
    const total = args[0].length + occurrences * (args[2].length - args[1].length);
    if (total > max) throw limitError(`$replace would build ${total} characters (at most ${max})`);
  }
}

/** True when the JSONata text `source` holds a range; unparsable text is left to `$eval` to report. */
function hasRange(source: string): boolean {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return false;
  }
  const walk = (node: unknown, depth: number): boolean => {
    if (node === null || typeof node !== 'object' || depth > 500) return false;
    const n = node as { type?: unknown; value?: unknown };
    if (n.type === 'binary' && n.value === '..') return true;
    return Object.values(node).some((child) => (Array.isArray(child) ? child.some((c) => walk(c, depth + 1)) : walk(child, depth + 1)));
  };
  return walk(ast, 0);
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

function charge(focus: FunctionFocus, name: string, result: unknown): void {
  let size = 0;
  if (typeof result === 'string') {
    if (result.length > EXPRESSION_LIMITS.maxStringLength) throw limitError(`$${name} returned ${result.length} characters (at most ${EXPRESSION_LIMITS.maxStringLength})`);
    size = result.length;
  } else if (Array.isArray(result)) {
    if (result.length > EXPRESSION_LIMITS.maxSequenceLength) throw limitError(`$${name} returned ${result.length} items (at most ${EXPRESSION_LIMITS.maxSequenceLength})`);
    size = result.length;
  } else return;
  const base = focus.environment.base;
  const spent = (base[SPENT] ?? 0) + size;
  base[SPENT] = spent;
  if (spent > EXPRESSION_LIMITS.maxAllocated) throw limitError(`built-in functions allocated more than ${EXPRESSION_LIMITS.maxAllocated} characters and items in one evaluation`);
}

function wrap(name: string, original: JsonataFunction): (this: FunctionFocus, ...args: unknown[]) => unknown {
  return function bounded(this: FunctionFocus, ...args: unknown[]) {
    for (const a of args) checkArgument(name, a);
    checkCall(name, args);
    const result = original.implementation.apply(this, args);
    // Higher-order built-ins ($map, $filter, $sort…) return promises; charge what they resolve to.
    if (result instanceof Promise) return result.then((value: unknown) => (charge(this, name, value), value));
    charge(this, name, result);
    return result;
  };
}

/** The variable a rewritten range calls: the space makes it unreachable from JSONata syntax. */
const RANGE_FUNCTION = 'outrun range';

/** `lhs..rhs` as JSONata evaluates it (same errors), but capped and charged to the evaluation's budget. */
function boundedRange(this: FunctionFocus, lhs: unknown, rhs: unknown): unknown {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw { code: 'T2003', stack: new Error().stack, value: lhs };
  if (rhs !== undefined && !Number.isInteger(rhs)) throw { code: 'T2004', stack: new Error().stack, value: rhs };
  if (lhs === undefined || rhs === undefined || (lhs as number) > (rhs as number)) return undefined;
  const size = (rhs as number) - (lhs as number) + 1;
  if (size > EXPRESSION_LIMITS.maxSequenceLength) throw limitError(`the range [${String(lhs)}..${String(rhs)}] has ${size} items (at most ${EXPRESSION_LIMITS.maxSequenceLength})`);
  const result = new Array<number>(size) as number[] & { sequence?: boolean };
  for (let i = 0; i < size; i++) result[i] = (lhs as number) + i;
  result.sequence = true;
  charge(this, 'range', result);
  return result;
}

const RANGE: JsonataFunction = { _jsonata_function: true, implementation: boundedRange as JsonataFunction['implementation'] };

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  lhs?: unknown;
  rhs?: unknown;
  [key: string]: unknown;
}

/**
 * Rewrites every range (`a..b`, a binary node) of a compiled expression's AST, in place, into a call of the
 * bounded range function. JSONata's own cap is 10,000,000 items per range (80 MB) with nothing charged, and its
 * `sequence` option, which would cap it, doubles the cost of every path step (measured), so ranges are taken
 * out instead. A call node flattens into an array constructor exactly as a range does.
 */
export function boundRanges(node: unknown, depth = 0): void {
  if (node === null || typeof node !== 'object' || depth > 500) return;
  for (const child of Object.values(node)) {
    if (Array.isArray(child)) for (const c of child) boundRanges(c, depth + 1);
    else boundRanges(child, depth + 1);
  }
  const n = node as AstNode;
  if (n.type === 'binary' && n.value === '..') {
    const { lhs, rhs, position } = n;
    for (const key of Object.keys(n)) delete n[key];
    Object.assign(n, { type: 'function', value: '(', position, procedure: { type: 'variable', value: RANGE_FUNCTION, position }, arguments: [lhs, rhs] });
  }
}

/**
 * Registers the bounded wrappers on one compiled expression (its own frame shadows JSONata's built-ins; done
 * once per compile, so evaluation pays only the checks). Call after `builtinsReady` resolved; before that the
 * expression keeps JSONata's unbounded originals, so entry points await `builtinsReady` first.
 */
export function installBoundedBuiltins(expression: jsonata.Expression): boolean {
  if (bounded === undefined) return false;
  for (const [name, fn] of bounded) expression.assign(name, fn);
  expression.assign(RANGE_FUNCTION, RANGE);
  return true;
}

/**
 * A string result longer than the limit is refused before anyone flattens or stores it (a rope built by `&` in
 * a loop is cheap to hold, not to serialise).
 */
/** A JSONata function value: a JS function, a lambda (`function($x){…}`) or a built-in reference (`$uppercase`). */
export const isFunctionValue = (v: unknown): boolean =>
  typeof v === 'function' || (typeof v === 'object' && v !== null && ('_jsonata_lambda' in v || '_jsonata_function' in v));

export function checkResult(value: unknown): unknown {
  // A function is not a value: it cannot be recorded or sent (JSONata's lambda object is even circular), and
  // evaluating again will never change that, so it is the expression's error, not a retriable failure.
  if (isFunctionValue(value)) throw new Error('the expression yields a function, not a value (call it, e.g. $f(1))');
  if (typeof value === 'string' && value.length > EXPRESSION_LIMITS.maxStringLength) {
    throw limitError(`the result has ${value.length} characters (at most ${EXPRESSION_LIMITS.maxStringLength})`);
  }
  return value;
}
