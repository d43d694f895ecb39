/** The params-schema side of JSONata expressions: a syntax check at validation time, with the position. */
import { z } from 'zod';
import { expressionSyntaxError } from '@outrun/engine';

/**
 * `schema` (a string schema, e.g. `z.string().min(1)`) refined to hold a JSONata expression that
 * compiles; a syntax error becomes an issue `Invalid JSONata: <message> at position N`. The compile
 * is cached by the engine, so evaluating the same expression later does not parse it again.
 */
export function jsonataExpression(schema: z.ZodString = z.string()): z.ZodString {
  return schema.superRefine((expression, issue) => {
    const error = expression ? expressionSyntaxError(expression) : null;
    if (error) issue.addIssue({ code: 'custom', message: `Invalid JSONata: ${error}` });
  });
}
