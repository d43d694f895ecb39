import { z } from 'zod';
import { Id, Timestamp } from './common';
import { RetryPolicy, WorkflowEdge, WorkflowNode } from './graph';
import { Trigger } from './trigger';
import { JsonObjectSchema, WorkflowMcpSettings } from './mcp';

export const WorkflowStatus = z.enum(['draft', 'active', 'paused', 'archived']);
export type WorkflowStatus = z.infer<typeof WorkflowStatus>;

export const WorkflowSettings = z.strictObject({
  /** Run timeout in ms. @default 300000 */
  timeout: z.number().int().min(100).max(7 * 86_400_000).default(300_000),
  /** Node retries (engine) and run re-attempts after an operational failure (runner). */
  retryPolicy: RetryPolicy.default(RetryPolicy.parse({})),
  /** Runs of this workflow executing at once, across all runners. @default 1 */
  concurrency: z.number().int().min(1).max(1000).default(1),
  /** Parallel branches inside one run. @default 8 */
  branchConcurrency: z.number().int().min(1).max(256).default(8),
  /** Stop before the next AI call once the run's estimated cost would pass this (USD). */
  maxCostPerRun: z.number().positive().optional(),
  /** Stop before the next AI call once the run's tokens would pass this. */
  maxTokensPerRun: z.number().int().positive().optional(),
  /**
   * JSON Schema (type object) of the payload the workflow expects: validated when a `workflow` node calls it
   * (docs/composition.md) and as an MCP tool's input (docs/mcp.md); the editor builds the calling node's form from it.
   */
  inputSchema: JsonObjectSchema.optional(),
  /** Exposure as an MCP tool of the workspace's MCP endpoint (docs/mcp.md). */
  mcp: WorkflowMcpSettings.optional(),
  /** Started once per failed run with what failed (docs/composition.md); never for its own failures. */
  errorWorkflowId: Id.optional(),
});
export type WorkflowSettings = z.infer<typeof WorkflowSettings>;

/** The seed's statistics, kept on the workflow and updated atomically at each terminal run. */
export const WorkflowStats = z.object({
  totalRuns: z.number().int(),
  successfulRuns: z.number().int(),
  failedRuns: z.number().int(),
  avgExecutionTime: z.number(),
});
export type WorkflowStats = z.infer<typeof WorkflowStats>;
export const emptyWorkflowStats = (): WorkflowStats => ({ totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 });

/** What a caller sends to create or replace a workflow (external input: strict). */
export const WorkflowInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  nodes: z.array(WorkflowNode).max(10_000).default([]),
  edges: z.array(WorkflowEdge).max(50_000).default([]),
  triggers: z.array(Trigger).max(100).default([]),
  settings: WorkflowSettings.default(WorkflowSettings.parse({})),
  tags: z.array(z.string().max(50)).max(50).optional(),
});
export type WorkflowInput = z.infer<typeof WorkflowInput>;
export type WorkflowInputRaw = z.input<typeof WorkflowInput>;

/** The stored workflow: the seed's document plus version and timestamps. */
export const Workflow = WorkflowInput.extend({
  id: Id,
  workspaceId: Id,
  status: WorkflowStatus,
  version: z.number().int().min(1),
  stats: WorkflowStats,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Workflow = z.infer<typeof Workflow>;

/** An immutable saved version; runs pin the one they started on. */
export const WorkflowVersion = z.object({
  workflowId: Id,
  workspaceId: Id,
  version: z.number().int().min(1),
  name: z.string(),
  nodes: z.array(WorkflowNode),
  edges: z.array(WorkflowEdge),
  triggers: z.array(Trigger),
  settings: WorkflowSettings,
  /** What the publisher said about this version (`POST …/publish {message}`). */
  message: z.string().optional(),
  createdAt: Timestamp,
});
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;

/** A note on a published version. */
export const PublishMessage = z.string().trim().max(500);

/**
 * Unpublished edits of a workflow (at most one per workflow): what the editor autosaves. Runs and triggers never
 * read it; `POST …/publish` turns it into the next version. `baseVersion` is the live version it was edited from.
 */
export const WorkflowDraft = WorkflowInput.extend({
  workflowId: Id,
  workspaceId: Id,
  baseVersion: z.number().int().min(1),
  updatedAt: Timestamp,
});
export type WorkflowDraft = z.infer<typeof WorkflowDraft>;

/** Portable export (`GET …/export`, `POST …/import`). */
export const WORKFLOW_EXPORT_SCHEMA_VERSION = 1;
export const WorkflowExport = z.strictObject({
  schemaVersion: z.literal(WORKFLOW_EXPORT_SCHEMA_VERSION),
  exportedAt: Timestamp,
  workflow: WorkflowInput,
});
export type WorkflowExport = z.infer<typeof WorkflowExport>;

/**
 * A workflow in a list (`GET …/workflows`): everything but the graph, which can be megabytes; the counts and the
 * stored size stand in for it. `GET …/workflows/:id` (or `?view=full`) gives the whole document.
 */
export const WorkflowSummary = Workflow.omit({ nodes: true, edges: true, triggers: true, settings: true }).extend({
  nodeCount: z.number().int(),
  edgeCount: z.number().int(),
  triggerCount: z.number().int(),
  /** Ids of its triggers (they are unique in the workspace: they name webhook URLs). */
  triggerIds: z.array(z.string()),
  /** Bytes of the stored definition (what counts against the stored-bytes quota, per version kept). */
  sizeBytes: z.number().int(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

/** A version in the history list: metadata only; the version itself is `GET …/versions/:v`. */
export const WorkflowVersionSummary = WorkflowVersion.omit({ nodes: true, edges: true, triggers: true, settings: true }).extend({
  nodeCount: z.number().int(),
  edgeCount: z.number().int(),
  triggerCount: z.number().int(),
  sizeBytes: z.number().int(),
});
export type WorkflowVersionSummary = z.infer<typeof WorkflowVersionSummary>;
