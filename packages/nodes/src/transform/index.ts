/** `transform`: the output is a JSONata expression evaluated over `{ input, trigger, steps }`. */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import { evaluateExpression, toJsonValue } from '@outrun/engine';
import { defineNode, IN, OUT } from '../define-node';
import { jsonataExpression } from '../shared/jsonata-param';

export const TransformParams = z.strictObject({
  expression: jsonataExpression(z.string().min(1))
    .describe('JSONata expression over { input, trigger, steps }; its result is the output (e.g. `{"name": input.first & " " & input.last}`)'),
});
export type TransformParams = z.infer<typeof TransformParams>;

export const transformNode = defineNode({
  type: 'transform',
  label: 'Transform',
  description: 'Reshapes data with a JSONata expression over the input, the trigger payload and earlier steps.',
  category: 'data',
  icon: 'shuffle',
  params: TransformParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    // The engine's compile cache and guardrails; the scope is read as is (no copy of `steps`).
    const result = await evaluateExpression(ctx.params.expression, { input: ctx.input, trigger: ctx.trigger, steps: ctx.steps });
    return { output: (toJsonValue(result) ?? null) as JsonValue };
  },
});
