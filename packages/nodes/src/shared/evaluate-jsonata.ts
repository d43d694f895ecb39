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

/** Limits on one evaluation, so a runaway expression fails the step instead of hanging the runner. */
export interface EvaluationLimits {
  /** @default 5000 */
  timeoutMs: number;
  /** Nested evaluation depth (deep recursion in user functions). @default 500 */
  maxDepth: number;
}
const DEFAULT_LIMITS: EvaluationLimits = { timeoutMs: 5000, maxDepth: 500 };

/** Installs JSONata's entry/exit hooks to enforce a time and depth budget (as JSONata's own test suite does). */
function timebox(compiled: ReturnType<typeof jsonata>, limits: EvaluationLimits): void {
  const started = Date.now();
  let depth = 0;
  const check = () => {
    if (depth > limits.maxDepth) throw { code: 'U1001', message: `Expression nested deeper than ${limits.maxDepth} levels (runaway recursion?)` };
    if (Date.now() - started > limits.timeoutMs) throw { code: 'U1002', message: `Expression took longer than ${limits.timeoutMs} ms` };
  };
  // The hooks are bound under symbols, which the typings (string names) do not admit.
  const assign = (name: symbol, value: unknown) => (compiled.assign as unknown as (n: symbol, v: unknown) => void).call(compiled, name, value);
  assign(Symbol.for('jsonata.__evaluate_entry'), () => {
    depth++;
    check();
  });
  assign(Symbol.for('jsonata.__evaluate_exit'), () => {
    depth--;
    check();
  });
}

/** Compiles and evaluates; the raw JSONata result (may be `undefined`). `path` names the param in errors. */
export async function evaluateJsonata(expression: string, scope: unknown, path = 'expression', limits: EvaluationLimits = DEFAULT_LIMITS): Promise<unknown> {
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = jsonata(expression);
  } catch (error) {
    throw expressionError(expression, error, path);
  }
  timebox(compiled, limits);
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
