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

export type { Run, Workflow };
