/**
 * `condition`: routes to the `true` or `false` handle. Either compares `left` with `right` using an
 * operator, or evaluates a JSONata `expression` (truthy → `true`). The input passes through.
 */
import { z } from 'zod';
import { JsonValue } from '@outrun/schemas';
import { evaluateExpression } from '@outrun/engine';
import { defineNode, IN } from '../define-node';
import { compare, Operator, refineRegexOperand, truthy } from '../shared/compare';
import { jsonataExpression } from '../shared/jsonata-param';

export const ConditionParams = z.strictObject({
  left: JsonValue.optional().describe('Left operand, usually a {{ expression }} such as {{ input.amount }}'),
  operator: Operator.default('equals').describe('How to compare left with right (exists and isEmpty ignore right; matches takes a regex in right)'),
  right: JsonValue.optional().describe('Right operand'),
  expression: jsonataExpression()
    .optional()
    .describe('Alternative to left/operator/right: a JSONata expression over { input, trigger, steps }; truthy → true'),
}).superRefine((p, issue) => refineRegexOperand(p.operator, p.right, ['right'], issue));
export type ConditionParams = z.infer<typeof ConditionParams>;

export const conditionNode = defineNode({
  type: 'condition',
  label: 'Condition',
  description: 'Routes to the true or false branch; the input passes through.',
  category: 'flow',
  icon: 'git-branch',
  params: ConditionParams,
  inputs: IN,
  outputs: [
    { id: 'true', label: 'True' },
    { id: 'false', label: 'False' },
  ],
  async execute(ctx) {
    const { expression, operator, left, right } = ctx.params;
    const passed = expression
      ? truthy(await evaluateExpression(expression, { input: ctx.input, trigger: ctx.trigger, steps: ctx.steps }))
      : compare(operator, left, right);
    return { output: ctx.input, handle: passed ? 'true' : 'false' };
  },
});
