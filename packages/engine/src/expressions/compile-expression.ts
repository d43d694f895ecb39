import jsonata from 'jsonata';
import { boundRanges, builtinsLoaded, installBoundedBuiltins } from './bounded-builtins';
import { Re2RegExp, SafeRegexError, checkSafeRegex } from './safe-regex';

/** A compiled JSONata expression, or why it does not compile (with the 0-based position in the source). */
export type CompiledExpression =
  | { ok: true; expression: jsonata.Expression }
  | { ok: false; message: string; position: number | undefined; code: string | undefined };

const MAX_CACHE = 10_000;

/**
 * JSONata's own guardrails, checked per evaluation: a runaway template (deep recursion, long loop)
 * fails its step with OUT_ERR_EXPRESSION instead of stalling the runner.
 */
export const EVALUATION_LIMITS = { timeout: 1000, stack: 500 } as const;

/** Options of every compiled expression: the guardrails plus RE2 for regex literals (`$match`, `$replace`, …). */
const JSONATA_OPTIONS = { ...EVALUATION_LIMITS, RegexEngine: Re2RegExp as unknown as RegExpConstructor };

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
}

/** The first regex literal RE2 cannot run (backreference, lookahead…), found at compile time rather than mid-run. */
function unsupportedRegex(ast: unknown, depth = 0): { message: string; position: number | undefined } | null {
  if (ast === null || typeof ast !== 'object' || depth > 200) return null;
  const node = ast as AstNode;
  if (node.type === 'regex' && node.value instanceof RegExp) {
    try {
      checkSafeRegex(node.value.source, node.value.flags);
    } catch (err) {
      if (err instanceof SafeRegexError) return { message: err.message, position: node.position };
      throw err;
    }
    return null;
  }
  for (const child of Object.values(ast)) {
    const found = Array.isArray(child) ? child.map((c) => unsupportedRegex(c, depth + 1)).find((r) => r !== null) : unsupportedRegex(child, depth + 1);
    if (found) return found;
  }
  return null;
}
const cache = new Map<string, CompiledExpression>();

/** The fields JSONata puts on its errors (plain objects, not always `Error`s). */
export function describeJsonataError(err: unknown): { message: string; position: number | undefined; code: string | undefined } {
  if (err !== null && typeof err === 'object') {
    const e = err as { message?: unknown; position?: unknown; code?: unknown; value?: unknown };
    const guardrail =
      e.code === 'D1011' ? `stack deeper than ${String(e.value)} (runaway recursion?)`
      : e.code === 'D1012' ? `took longer than ${String(e.value)} ms`
      : undefined;
    return {
      message: typeof e.message === 'string' ? e.message : (guardrail ?? String(err)),
      position: typeof e.position === 'number' ? e.position : undefined,
      code: typeof e.code === 'string' ? e.code : undefined,
    };
  }
  return { message: String(err), position: undefined, code: undefined };
}

/**
 * Compiles `source` once; later calls with the same text return the cached result. Parsing a JSONata
 * expression costs far more than evaluating a simple one, so the run loop must never parse twice.
 */
export function compileExpression(source: string): CompiledExpression {
  let compiled = cache.get(source);
  if (compiled !== undefined) return compiled;
  try {
    const expression = jsonata(source, JSONATA_OPTIONS);
    const regex = unsupportedRegex(expression.ast());
    boundRanges(expression.ast());
    compiled = regex ? { ok: false, message: regex.message, position: regex.position, code: 'OUT_ERR_REGEX' } : { ok: true, expression };
    // Before JSONata's built-ins were looked up (first microtasks after start-up) nothing is cached, so no
    // expression keeps the unbounded originals; evaluation entry points await `builtinsReady` first.
    if (regex === null && !installBoundedBuiltins(expression)) return compiled;
  } catch (err) {
    compiled = { ok: false, ...describeJsonataError(err) };
    if (!builtinsLoaded()) return compiled;
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
