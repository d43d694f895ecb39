import jsonata from 'jsonata';

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
const cache = new Map<string, CompiledExpression>();

/** The fields JSONata puts on its errors (plain objects, not always `Error`s). */
export function describeJsonataError(err: unknown): { message: string; position: number | undefined; code: string | undefined } {
  if (err !== null && typeof err === 'object') {
    const e = err as { message?: unknown; position?: unknown; code?: unknown; value?: unknown };
    const guardrail = e.code === 'D1011' ? `stack deeper than ${String(e.value)} (runaway recursion?)` : e.code === 'D1012' ? `took longer than ${String(e.value)} ms` : undefined;
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
    compiled = { ok: true, expression: jsonata(source, EVALUATION_LIMITS) };
  } catch (err) {
    compiled = { ok: false, ...describeJsonataError(err) };
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
