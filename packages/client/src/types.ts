/**
 * The client's types: the gateway's response shapes are defined once, as zod, in `@outrun/schemas`
 * (`api-responses.ts`) and re-exported here as types; only the client's own call options are declared here.
 */
import type { JsonValue, Run, RunStatus, TriggerType, Workflow } from '@outrun/schemas';

export type {
  AcceptedRun,
  ApprovalDecisionResult,
  CatalogueModels,
  CreatedApiKey,
  CreatedWorkspace,
  DraftResponse,
  EventResult,
  ExpressionPreviewRequest,
  ExpressionPreviewResult,
  ExpressionScope,
  InsertedDocument,
  NodeDescription,
  PriceOverrideList,
  ReadyCheck,
  ReadyReport,
  RotatedSecret,
  RunStats,
  RunStatsPerDay,
  TemplateInfo,
  TestListenState,
  TestListening,
  TriggerDetail,
  ValidationResult,
  WorkflowStatsResponse,
  WorkspaceStatsResponse,
} from '@outrun/schemas';

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

export type { Run, Workflow };
