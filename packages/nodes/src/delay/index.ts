/**
 * `delay`: waits for a duration or until a time, durably. Waits under one second sleep in place
 * (abortable); longer ones park the run (`park.resumeAt`) so the runner frees its slot and re-runs this
 * node at that time with `resumeState`. The input passes through.
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import type { NodeResult } from '@outrun/engine';
import { defineNode, IN, OUT } from '../define-node';

/** Delays shorter than this are slept in place instead of parking the run. */
export const PARK_THRESHOLD_MS = 1000;
const MAX_DELAY_MS = 366 * 24 * 3600 * 1000;

export const DelayParams = z
  .strictObject({
    duration: z.number().int().min(0).max(MAX_DELAY_MS).optional().describe('How long to wait, in milliseconds'),
    until: z.iso.datetime({ offset: true }).optional().describe('Wait until this time (ISO-8601, e.g. 2026-12-01T09:00:00Z)'),
  })
  .refine((p) => (p.duration === undefined) !== (p.until === undefined), { message: 'set exactly one of duration or until' });
export type DelayParams = z.infer<typeof DelayParams>;

const ResumeState = z.object({ resumeAt: z.number() });

export const delayNode = defineNode({
  type: 'delay',
  label: 'Delay',
  description: 'Waits for a duration or until a time; long waits park the run durably.',
  category: 'flow',
  icon: 'clock',
  params: DelayParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx): Promise<NodeResult> {
    const resumed = ResumeState.safeParse(ctx.resumeState);
    const resumeAt = resumed.success
      ? resumed.data.resumeAt
      : ctx.params.until !== undefined
        ? Date.parse(ctx.params.until)
        : ctx.clock.now() + (ctx.params.duration ?? 0);
    const remaining = resumeAt - ctx.clock.now();
    if (remaining >= PARK_THRESHOLD_MS) {
      ctx.log.debug('delay parks the run', { resumeAt, remaining });
      return { output: ctx.input, park: { resumeAt, state: { resumeAt } satisfies JsonValue } };
    }
    if (remaining > 0) await ctx.clock.sleep(remaining, ctx.signal);
    return { output: ctx.input };
  },
});
