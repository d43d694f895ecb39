/**
 * `merge`: waits for every live incoming branch (the engine handles the waiting) and combines their
 * outputs. Its input is `{ [predecessorId]: output }` in the order the branches were wired.
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';

export const MergeParams = z.strictObject({
  mode: z
    .enum(['array', 'object', 'first'])
    .default('array')
    .describe('array: outputs as a list; object: keyed by predecessor node id; first: the first branch output'),
});
export type MergeParams = z.infer<typeof MergeParams>;

export const mergeNode = defineNode({
  type: 'merge',
  label: 'Merge',
  description: 'Waits for all live incoming branches and combines their outputs.',
  category: 'flow',
  icon: 'merge',
  params: MergeParams,
  inputs: IN,
  outputs: OUT,
  waitsForAllInputs: true,
  async execute(ctx) {
    const input = ctx.input;
    const byPredecessor: Record<string, JsonValue> =
      input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
    const outputs = Object.values(byPredecessor);
    switch (ctx.params.mode) {
      case 'array':
        return { output: outputs };
      case 'object':
        return { output: { ...byPredecessor } };
      case 'first':
        return { output: outputs[0] ?? null };
    }
  },
});
