/** `set`: assigns fields (dotted paths) on a copy of the input, or on a fresh object. */
import { z } from 'zod';
import { JsonValue } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';
import { isSafePath, setPath } from '../shared/json-path';

export const SetField = z.strictObject({
  name: z
    .string()
    .min(1, { abort: true })
    .refine(isSafePath, 'must be a dotted path without empty segments or __proto__/prototype/constructor')
    .describe('Dotted path of the field to set, e.g. `customer.tier`'),
  value: JsonValue.describe('Value to assign (may be a {{ expression }})'),
});

export const SetParams = z.strictObject({
  fields: z.array(SetField).default([]).describe('Fields to assign, in order (later ones win)'),
  keepInput: z.boolean().default(true).describe('Start from the input object (true) or from an empty object (false)'),
});
export type SetParams = z.infer<typeof SetParams>;

type JsonObject = { [key: string]: JsonValue };

export const setNode = defineNode({
  type: 'set',
  label: 'Set fields',
  description: 'Assigns fields on the input (or on a new object).',
  category: 'data',
  icon: 'pencil',
  params: SetParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    const input = ctx.input;
    const base = ctx.params.keepInput && input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
    // Shallow copy: setPath copies what it descends into, the rest is shared with the input (read-only).
    const output: JsonObject = { ...base };
    for (const field of ctx.params.fields) setPath(output, field.name, field.value);
    return { output };
  },
});
