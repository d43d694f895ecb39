/**
 * `merge`: waits for every live incoming branch (the engine does the waiting) and combines their
 * outputs. Being `waitsForAllInputs`, its input from the engine is always `{ [predecessorId]: output }`,
 * one entry per live branch (even when only one branch is live).
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

/**
 * The branch outputs by predecessor id: the input map itself. A non-object input only reaches a merge
 * with no incoming edge (it starts the run with the trigger payload): one branch, keyed `input`.
 */
export function branchOutputs(input: JsonValue): Record<string, JsonValue> {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? input : { input };
}

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
    const byPredecessor = branchOutputs(ctx.input);
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
