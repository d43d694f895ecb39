import { emptyRunUsage, type Run } from '@outrun/schemas';
import type { CreateRunInput } from '../ports';
import { compact } from './errors';
import { isoInstant } from './time';

/** How long an idempotency key holds its run when the caller sets no TTL (the webhook delivery-id window): 72 h. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 72 * 3_600_000;

/** The document of a freshly accepted run (`queued`, attempt 1, no steps), as both adapters create it. */
export function newQueuedRun(workspaceId: string, id: string, input: CreateRunInput, queuedAt: string): Run {
  return compact({
    id,
    workspaceId,
    workflowId: input.workflowId,
    workflowVersion: input.workflowVersion,
    status: 'queued' as const,
    triggeredBy: input.triggeredBy,
    steps: [],
    usage: emptyRunUsage(),
    attempt: 1,
    idempotencyKey: input.idempotencyKey,
    retryOf: input.retryOf,
    parentRunId: input.parentRunId,
    parentStepId: input.parentStepId,
    queuedAt,
    resumeAt: input.resumeAt === undefined ? undefined : isoInstant(input.resumeAt, 'resumeAt'),
  });
}
