/** `noop`: passes its input through unchanged (a placeholder, or a join point for readability). */
import { z } from 'zod';
import { defineNode, IN, OUT } from '../define-node';

export const NoopParams = z.strictObject({});
export type NoopParams = z.infer<typeof NoopParams>;

export const noopNode = defineNode({
  type: 'noop',
  label: 'No operation',
  description: 'Passes its input through unchanged.',
  category: 'core',
  icon: 'circle',
  params: NoopParams,
  inputs: IN,
  outputs: OUT,
  execute: (ctx) => Promise.resolve({ output: ctx.input }),
});
