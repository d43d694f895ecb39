/**
 * `trigger`: the entry node of a workflow, bound to one of its triggers by `triggerId`.
 * The engine starts execution at the nodes wired to the firing trigger; this node just emits the payload.
 */
import { z } from 'zod';
import { defineNode, OUT } from '../define-node';

export const TriggerParams = z.strictObject({
  triggerId: z.string().min(1).describe('Id of the workflow trigger (webhook, schedule, data change, manual) this node starts from'),
});
export type TriggerParams = z.infer<typeof TriggerParams>;

export const triggerNode = defineNode({
  type: 'trigger',
  label: 'Trigger',
  description: 'Starts the workflow when its trigger fires; outputs the trigger payload.',
  category: 'trigger',
  icon: 'zap',
  params: TriggerParams,
  inputs: [],
  outputs: OUT,
  execute: (ctx) => Promise.resolve({ output: ctx.trigger }),
});
