import jsonata from 'jsonata';

/** A compiled JSONata expression, or why it does not compile (with the 0-based position in the source). */
export type CompiledExpression =
  | { ok: true; expression: jsonata.Expression }
  | { ok: false; message: string; position: number | undefined; code: string | undefined };

const MAX_CACHE = 10_000;
const cache = new Map<string, CompiledExpression>();

/** The fields JSONata puts on its errors (plain objects, not always `Error`s). */
export function describeJsonataError(err: unknown): { message: string; position: number | undefined; code: string | undefined } {
  if (err !== null && typeof err === 'object') {
    const e = err as { message?: unknown; position?: unknown; code?: unknown };
    return {
      message: typeof e.message === 'string' ? e.message : String(err),
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
    compiled = { ok: true, expression: jsonata(source) };
  } catch (err) {
    compiled = { ok: false, ...describeJsonataError(err) };
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
