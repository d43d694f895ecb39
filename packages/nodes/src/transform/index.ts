/** `transform`: the output is a JSONata expression evaluated over `{ input, trigger, steps }`. */
import { z } from 'zod';
import { defineNode, IN, OUT } from '../define-node';
import { evaluateJsonata, expressionScope, jsonataSyntaxError } from '../shared/evaluate-jsonata';
import { toJson } from '../shared/to-json';

export const TransformParams = z.strictObject({
  expression: z
    .string()
    .min(1)
    .superRefine((expression, issue) => {
      const error = jsonataSyntaxError(expression);
      if (error) issue.addIssue({ code: 'custom', message: `Invalid JSONata: ${error}` });
    })
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
    const result = await evaluateJsonata(ctx.params.expression, expressionScope(ctx));
    return { output: toJson(result) };
  },
});
