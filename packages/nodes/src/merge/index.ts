/**
 * `merge`: waits for every live incoming branch (the engine does the waiting) and combines their
 * outputs. With several live branches the engine's input is `{ [predecessorId]: output }`; with one
 * live branch (the others skipped) it is that branch's output itself.
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';
import { deepEqual } from '../shared/compare';

export const MergeParams = z.strictObject({
  mode: z
    .enum(['array', 'object', 'first'])
    .default('array')
    .describe('array: outputs as a list; object: keyed by predecessor node id; first: the first branch output'),
});
export type MergeParams = z.infer<typeof MergeParams>;

/**
 * The branch outputs by predecessor id. The input is a predecessor map when it is a non-empty object
 * whose every key is a finished step whose output is exactly that value; anything else is the output
 * of a single live branch (whose id is unknown here, so it is keyed `input`).
 */
export function branchOutputs(input: JsonValue, steps: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const keys = Object.keys(input);
    if (keys.length > 0 && keys.every((id) => Object.hasOwn(steps, id) && deepEqual(steps[id], input[id]))) return input;
  }
  return { input };
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
    const byPredecessor = branchOutputs(ctx.input, ctx.steps);
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
