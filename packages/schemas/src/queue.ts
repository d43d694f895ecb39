import { z } from 'zod';
import { Id } from './common';

/** The queue job payload: the run is the source of truth, the job only points at it. */
export const RunJob = z.strictObject({ workspaceId: Id, runId: Id });
export type RunJob = z.infer<typeof RunJob>;

/** Events published for live views (SSE) when a step or a run changes. */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), workspaceId: Id, workflowId: Id, runId: Id, status: z.string(), at: z.string() }),
  z.object({ type: z.literal('step'), workspaceId: Id, workflowId: Id, runId: Id, nodeId: Id, status: z.string(), at: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
