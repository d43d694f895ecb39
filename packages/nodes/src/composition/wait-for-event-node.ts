/**
 * `wait-for-event`: parks the run until an event with this name and correlation key arrives through
 * `POST /api/workspaces/:ws/events`, or until its deadline. The event's payload becomes the output
 * (`received` handle); at the deadline the `timeout` handle is taken. Events sent before the run waits are not kept.
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import type { NodeResult } from '@outrun/engine';
import { defineNode, IN } from '../define-node';
import { eventSignal, MAX_WAIT_MS } from './composition-services';

export const WaitForEventParams = z.strictObject({
  event: z.string().min(1).max(200).describe('Event name, e.g. order.paid'),
  key: z.string().min(1).max(500).describe('Correlation key, usually an expression such as {{ trigger.orderId }}'),
  timeoutMs: z.number().int().min(1000).max(MAX_WAIT_MS).default(24 * 3600 * 1000).describe('Deadline: after this many ms the timeout branch is taken'),
});
export type WaitForEventParams = z.infer<typeof WaitForEventParams>;

const WaitState = z.object({ deadline: z.number(), event: z.string(), key: z.string() });

export const waitForEventNode = defineNode({
  type: 'wait-for-event',
  label: 'Wait for event',
  description: 'Waits until an event with a matching name and key is posted to the API, or until a deadline.',
  category: 'flow',
  icon: 'clock',
  params: WaitForEventParams,
  inputs: IN,
  outputs: [{ id: 'received', label: 'Received' }, { id: 'timeout', label: 'Timed out' }],
  async execute(ctx): Promise<NodeResult> {
    const saved = WaitState.safeParse(ctx.resumeState);
    const state = saved.success ? saved.data : { deadline: ctx.clock.now() + ctx.params.timeoutMs, event: ctx.params.event, key: ctx.params.key };
    if (ctx.resumeSignal !== undefined) {
      const payload = (ctx.resumeSignal.payload ?? null) as JsonValue;
      return { output: { event: state.event, key: state.key, payload }, handle: 'received' };
    }
    if (saved.success && ctx.clock.now() >= state.deadline) return { output: { event: state.event, key: state.key, timedOut: true }, handle: 'timeout' };
    return { output: null, wait: { signal: eventSignal(state.event, state.key), deadline: state.deadline, state } };
  },
});
