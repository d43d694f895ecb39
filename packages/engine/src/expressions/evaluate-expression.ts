/**
 * Whole-string JSONata expressions (the `transform` and `condition` nodes' `expression` param), as
 * opposed to `{{ }}` templates inside parameters. Same compile cache and guardrails as templates.
 */
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { builtinsLoaded, builtinsReady, checkResult } from './bounded-builtins';
import { compileExpression, describeJsonataError } from './compile-expression';

function expressionError(source: string, err: unknown, path: string): NonRetriableError {
  const { message, position, code } = describeJsonataError(err);
  const at = position === undefined ? '' : ` at position ${position}`;
  return new NonRetriableError(ErrorCode.EXPRESSION, `JSONata error${at}: ${message}${code ? ` [${code}]` : ''} (expression: ${source})`, {
    details: [{ path, message: `${message}${at}`, ...(code ? { code } : {}) }],
  });
}

/**
 * Evaluates the JSONata expression `source` over `scope` (compiled once and cached; per-evaluation
 * time and stack limits from `EVALUATION_LIMITS`). Returns JSONata's raw result (may be `undefined`
 * or a sequence: normalise with `toJsonValue`). `scope` is read, never copied or modified.
 * @param path names the parameter in error details. @default "expression"
 * @throws NonRetriableError OUT_ERR_EXPRESSION with JSONata's message, code and position
 */
export async function evaluateExpression(source: string, scope: unknown, path = 'expression'): Promise<unknown> {
  if (!builtinsLoaded()) await builtinsReady;
  const compiled = compileExpression(source);
  if (!compiled.ok) throw expressionError(source, compiled, path);
  try {
    return checkResult(await compiled.expression.evaluate(scope));
  } catch (err) {
    throw expressionError(source, err, path);
  }
}

/** Syntax check only (for params schemas): `null` when `source` compiles, else the message with its position. */
export function expressionSyntaxError(source: string): string | null {
  const compiled = compileExpression(source);
  if (compiled.ok) return null;
  return `${compiled.message}${compiled.position === undefined ? '' : ` at position ${compiled.position}`}`;
}
