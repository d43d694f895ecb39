/**
 * `{{ expression }}` preview for the editor: evaluates a parameter template with the engine's own
 * `evaluateTemplate` (same JSONata, same per-evaluation time and stack limits as a run) against a scope
 * the caller supplies (usually the last run's data for the node). Nothing is stored or run.
 */
import { evaluateTemplate, parseTemplate } from '@outrun/engine';
import { ErrorCode, JsonValue, OutrunError } from '@outrun/schemas';
import { z } from 'zod';
import { defineRoute, type Route } from '../http/route';
import { WsParams, withErrors } from './common';

/** Longest template accepted (characters). */
export const MAX_TEMPLATE_LENGTH = 10_000;
/**
 * Most `{{ }}` parts in one template: each evaluation may take up to the engine's JSONata timeout, so
 * this bounds the time one request can hold the event loop.
 */
export const MAX_TEMPLATE_EXPRESSIONS = 10;

export const ExpressionPreviewBody = z.strictObject({
  template: z
    .string()
    .max(MAX_TEMPLATE_LENGTH)
    .refine((t) => (parseTemplate(t)?.parts.filter((p) => p.kind === 'expr').length ?? 0) <= MAX_TEMPLATE_EXPRESSIONS, {
      message: `at most ${MAX_TEMPLATE_EXPRESSIONS} {{ }} expressions per template`,
    }),
  scope: z.strictObject({
    input: JsonValue.optional(),
    trigger: JsonValue.optional(),
    steps: z.record(z.string(), JsonValue).optional(),
  }),
});

export const ExpressionPreviewResponse = z.union([
  z.object({ ok: z.literal(true), value: JsonValue.optional().describe('Absent when the expression yields nothing') }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.literal(ErrorCode.EXPRESSION),
      message: z.string(),
      position: z.number().int().optional().describe('0-based character index in the template'),
    }),
  }),
]);
export type ExpressionPreviewResponse = z.infer<typeof ExpressionPreviewResponse>;

/** The engine puts `position N (character M of the template): …` in the first detail; M is what the editor can point at. */
function templatePosition(err: OutrunError): number | undefined {
  const match = /^position \d+ \(character (\d+) of the template\)/.exec(err.details[0]?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

const NOT_JSON = 'The expression yields a function or another value that is not JSON.';

/** A JSONata function value: a lambda (`function($x){…}`) or a built-in (`$uppercase`), at any depth. */
const isFunctionValue = (v: unknown): boolean =>
  typeof v === 'function' || (typeof v === 'object' && v !== null && ('_jsonata_lambda' in v || '_jsonata_function' in v));

/** The value as JSON (a copy), or a TypeError for a function (at any depth) or a circular value. */
function asJson(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (isFunctionValue(v)) throw new TypeError(NOT_JSON);
    return v;
  });
  return JSON.parse(text) as JsonValue;
}

/** Evaluates `template` over `scope`; an expression error is an answer (`ok: false`), not a thrown error. */
export async function previewTemplate(body: z.infer<typeof ExpressionPreviewBody>): Promise<ExpressionPreviewResponse> {
  const scope = { input: body.scope.input, trigger: body.scope.trigger, steps: body.scope.steps ?? {} };
  try {
    const value = asJson(await evaluateTemplate(body.template, scope));
    return value === undefined ? { ok: true } : { ok: true, value };
  } catch (err) {
    // A function (`{{ function($x){$x} }}`) is not a value: JSONata's lambda object is circular, so serializing it
    // threw a TypeError, which answered 500 (found by bad-input.integration.test.ts).
    if (err instanceof TypeError) return { ok: false, error: { code: ErrorCode.EXPRESSION, message: NOT_JSON } };
    if (!(err instanceof OutrunError) || err.code !== ErrorCode.EXPRESSION) throw err;
    const position = templatePosition(err);
    return { ok: false, error: { code: ErrorCode.EXPRESSION, message: err.message, ...(position === undefined ? {} : { position }) } };
  }
}

export function expressionRoutes(): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/expressions/preview',
      summary: 'Evaluate a `{{ }}` parameter template against a given scope (`input`, `trigger`, `steps`) with the engine; saves nothing',
      tag: 'expressions', auth: 'workspace', extension: true, params: WsParams, body: ExpressionPreviewBody,
      responses: withErrors({ 200: { description: 'The value (`ok: true`) or the expression error with its position (`ok: false`)', schema: ExpressionPreviewResponse } }),
      async handle({ body }) {
        return { status: 200, body: await previewTemplate(body) };
      },
    }),
  ];
}
