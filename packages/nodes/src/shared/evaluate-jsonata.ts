/**
 * Evaluates a JSONata expression over `{ input, trigger, steps }`; syntax and runtime errors become
 * `NonRetriableError(OUT_ERR_EXPRESSION)` carrying the expression and the position.
 */
import jsonata from 'jsonata';
import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';
import type { NodeContext } from '@outrun/engine';

interface JsonataError {
  message?: string;
  position?: number;
  token?: string;
  code?: string;
}

function expressionError(expression: string, error: unknown, path: string): NonRetriableError {
  const e = (error ?? {}) as JsonataError;
  const at = typeof e.position === 'number' ? ` at position ${e.position}` : '';
  return new NonRetriableError(ErrorCode.EXPRESSION, `JSONata error${at}: ${e.message ?? String(error)} (expression: ${expression})`, {
    details: [{ path, message: `${e.message ?? 'invalid expression'}${at}`, ...(e.code ? { code: e.code } : {}) }],
  });
}

/** The data JSONata sees: the node's input, the trigger payload and earlier steps' outputs. */
export function expressionScope(ctx: NodeContext<unknown>): { input: JsonValue; trigger: JsonValue; steps: Record<string, JsonValue> } {
  return { input: ctx.input, trigger: ctx.trigger, steps: { ...ctx.steps } };
}

/** Compiles and evaluates; the raw JSONata result (may be `undefined`). `path` names the param in errors. */
export async function evaluateJsonata(expression: string, scope: unknown, path = 'expression'): Promise<unknown> {
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = jsonata(expression);
  } catch (error) {
    throw expressionError(expression, error, path);
  }
  try {
    return await compiled.evaluate(scope);
  } catch (error) {
    throw expressionError(expression, error, path);
  }
}

/** Syntax check only, for schema refinements (templates and runtime data are not needed). */
export function jsonataSyntaxError(expression: string): string | null {
  try {
    jsonata(expression);
    return null;
  } catch (error) {
    const e = error as JsonataError;
    return `${e.message ?? 'invalid expression'}${typeof e.position === 'number' ? ` at position ${e.position}` : ''}`;
  }
}
