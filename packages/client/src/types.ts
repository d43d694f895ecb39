/** Response shapes of the gateway that are not stored documents (stored ones come from @outrun/schemas). */
import type { ApiKeyInfo, JsonValue, Run, RunStats, RunStatus, Trigger, TriggerStats, TriggerType, Workflow, WorkflowInput, WorkflowStats, WorkflowStatus, Workspace } from '@outrun/schemas';

export interface CreatedWorkspace {
  workspace: Workspace;
  /** Shown once. */
  apiKey: string;
}

export type CreatedApiKey = ApiKeyInfo & { apiKey: string };

export type { RunStats, RunStatsPerDay } from '@outrun/schemas';

export interface WorkflowStatsResponse extends RunStats {
  workflowId: string;
  /** The seed's stats kept on the workflow. */
  stats: WorkflowStats;
}

export interface WorkspaceStatsResponse extends RunStats {
  workflows: Record<WorkflowStatus, number>;
}

export interface TriggerDetail {
  workflowId: string;
  trigger: Trigger;
  webhookPath: string | null;
  webhookUrl: string | null;
  nextFireTimes: string[] | null;
  stats: TriggerStats;
}

export interface RotatedSecret {
  /** Shown once. */
  secret: string;
  credentialId: string;
  workflowVersion: number;
  activeSecrets: number;
}

export interface AcceptedRun {
  runId: string;
  statusUrl: string;
}

export interface RunFilters {
  workflowId?: string;
  status?: RunStatus;
  triggerType?: TriggerType;
  /** Sub-workflow runs started by this run. */
  parentRunId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface ManualRunOptions {
  payload?: JsonValue;
  triggerId?: string;
  /** Sent as `Idempotency-Key`: a repeat returns the first run. */
  idempotencyKey?: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  category: string;
  workflow: WorkflowInput;
}

export interface ReadyReport {
  status: 'ok' | 'down';
  checks: Record<string, { status: 'ok' | 'down'; error?: string }>;
}

/** What `{{ }}` expressions see: the node's input, the trigger payload and earlier steps' outputs by node id. */
export interface ExpressionScope {
  input?: JsonValue | undefined;
  trigger?: JsonValue | undefined;
  steps?: Record<string, JsonValue>;
}

/** Body of `POST /api/workspaces/:ws/expressions/preview` (extension). */
export interface ExpressionPreviewRequest {
  /** A parameter string such as `Hi {{ $uppercase(input.body.name) }}` (max 10 000 characters). */
  template: string;
  scope: ExpressionScope;
}

/**
 * The engine's answer: the value (absent when the expression yields nothing), or the expression error with
 * its 0-based character position in the template when JSONata reported one.
 */
export type ExpressionPreviewResult =
  | { ok: true; value?: JsonValue }
  | { ok: false; error: { code: 'OUT_ERR_EXPRESSION'; message: string; position?: number } };

export type { Run, Workflow };
