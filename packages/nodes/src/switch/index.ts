/**
 * `switch`: routes to the first case whose test matches `value` (one output handle per case id),
 * or to `default`. The input passes through.
 */
import { z } from 'zod';
import { JsonValue } from '@outrun/schemas';
import { defineNode, IN } from '../define-node';
import { compare, Operator, refineRegexOperand } from '../shared/compare';

export const SwitchCase = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)')
    .refine((id) => id !== 'default', '"default" is reserved for the fallback handle')
    .describe('Handle id of this case (edges leave from it)'),
  label: z.string().max(200).optional().describe('Label shown on the handle'),
  operator: Operator.default('equals').describe('How to compare the switch value with this case value'),
  value: JsonValue.optional().describe('Value to compare against (a regex for matches: RE2 syntax, linear time)'),
}).superRefine((c, issue) => refineRegexOperand(c.operator, c.value, ['value'], issue));

export const SwitchParams = z.strictObject({
  value: JsonValue.optional().describe('The value to route on, usually a {{ expression }} such as {{ input.status }}'),
  cases: z
    .array(SwitchCase)
    .max(100)
    .default([])
    .superRefine((cases, issue) => {
      const seen = new Set<string>();
      cases.forEach((c, i) => {
        if (seen.has(c.id)) issue.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate case id ${c.id}` });
        seen.add(c.id);
      });
    })
    .describe('Cases tried in order; the first match wins'),
});
export type SwitchParams = z.infer<typeof SwitchParams>;

export const switchNode = defineNode({
  type: 'switch',
  label: 'Switch',
  description: 'Routes to the first matching case, or to default; the input passes through.',
  category: 'flow',
  icon: 'split',
  params: SwitchParams,
  inputs: IN,
  outputs: (params) => [
    ...params.cases.map((c) => ({ id: c.id, ...(c.label === undefined ? {} : { label: c.label }) })),
    { id: 'default', label: 'Default' },
  ],
  async execute(ctx) {
    const { value, cases } = ctx.params;
    const hit = cases.findIndex((c, i) => compare(c.operator, value, c.value, `cases.${i}.value`));
    return { output: ctx.input, handle: hit === -1 ? 'default' : (cases[hit]?.id ?? 'default') };
  },
});
