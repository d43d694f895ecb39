/**
 * What the composition nodes (`workflow`, `approval`, `wait-for-event`) need from the runner, lent as
 * `ctx.services.composition` and scoped to the run's workspace and run.
 */
import { createHash } from 'node:crypto';
import { ErrorCode, OperationalError, type JsonValue } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';

/** A child run's result, as its parent's `workflow` node sees it. */
export interface ChildRunResult {
  runId: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  output?: unknown;
  error?: { code: string; message: string };
  usage?: { aiTokensUsed: number; estimatedCost: number; webhooksCalled: number };
}

export interface StartChildRequest {
  workflowId: string;
  /** A pinned version, or the workflow's current one. */
  version: number | 'active';
  input: JsonValue;
  /** The calling step (`parentStepId` of the child). */
  stepId: string;
  /** Same key → same child (a crash before the wait was recorded never starts a second one). */
  idempotencyKey: string;
}

export interface CompositionServices {
  startChild(request: StartChildRequest): Promise<{ runId: string }>;
  /** A run of this workspace (a child), or null. */
  getRunResult(runId: string): Promise<ChildRunResult | null>;
  /** Signed single-use decision links for an approval step; undefined when links are not configured. */
  approvalLinks?(request: { runId: string; stepId: string; expiresAt: number }): { approveUrl: string; rejectUrl: string } | undefined;
}

export function getCompositionServices(services: NodeServices): CompositionServices {
  const composition = services.composition as CompositionServices | undefined;
  if (!composition) throw new OperationalError(ErrorCode.UNAVAILABLE, 'Sub-workflows and approvals need the runner (no composition services here).');
  return composition;
}

/** The signal an approval step waits for. */
export const approvalSignal = (stepId: string): string => `approval:${stepId}`;

/**
 * The signal a `wait-for-event` step waits for: a digest of the event name and key, so any name and key (slashes,
 * long ids) fit the run's indexed `waitingFor`.
 */
export const eventSignal = (name: string, key: string): string => `event:${createHash('sha256').update(name).update('\u0000').update(key).digest('hex').slice(0, 40)}`;

/** A wait deadline in ms: at least one second, at most a year. */
export const MAX_WAIT_MS = 366 * 24 * 3600 * 1000;
