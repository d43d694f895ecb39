/**
 * Worker entry for user expressions: `{{ }}` templates and whole JSONata expressions, evaluated with the
 * engine's own functions (same RE2 regexes, bounded built-ins and guardrails), plain JSON out.
 */
import { evaluateExpression, evaluateTemplate, toJsonValue, type TemplateScope } from '@outrun/engine';
import { ErrorCode, UserError } from '@outrun/schemas';
import { serveTasks } from './serve-tasks';

/** A JSONata function value: a lambda (`function($x){…}`) or a built-in (`$uppercase`). */
const isFunctionValue = (v: unknown): boolean =>
  typeof v === 'function' || (typeof v === 'object' && v !== null && ('_jsonata_lambda' in v || '_jsonata_function' in v));

/**
 * The result as plain JSON. A function anywhere in it is not a value (JSONata's lambda is circular and would
 * not even cross to the caller): an expression error, as the user wrote it.
 */
function asJson(value: unknown, path: string | undefined): unknown {
  const plain = toJsonValue(value);
  if (plain === undefined) {
    if (isFunctionValue(value)) throw notJson(path);
    return undefined;
  }
  try {
    JSON.stringify(plain, (_key, v: unknown) => {
      if (isFunctionValue(v)) throw new TypeError('function');
      return v;
    });
  } catch {
    throw notJson(path);
  }
  return plain;
}

const notJson = (path: string | undefined) =>
  new UserError(ErrorCode.EXPRESSION, 'The expression yields a function or another value that is not JSON.', 400, { details: [{ path: path ?? '', message: 'not a JSON value' }] });

serveTasks({
  template: async (payload) => {
    const { template, scope, path } = payload as { template: string; scope: TemplateScope; path?: string };
    return asJson(await evaluateTemplate(template, scope, path), path);
  },
  expression: async (payload) => {
    const { source, scope, path } = payload as { source: string; scope: unknown; path?: string };
    return asJson(await evaluateExpression(source, scope, path), path);
  },
});
