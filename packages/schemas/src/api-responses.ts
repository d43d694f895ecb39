/**
 * Response (and small request) shapes of the API gateway that are not stored documents — defined once here.
 * The routes use them for their OpenAPI responses, `@outrun/client` re-exports the inferred types and the web
 * app imports those types (type-only, so no zod reaches its bundle). docs/architecture.md, "One model for API shapes".
 */
import { z } from 'zod';
import { JsonValue } from './common';
import { ErrorCode } from './error-codes';
import { PriceOverride } from './ai-settings';
import { RunStats } from './stats';
import { Trigger, TriggerStats } from './trigger';
import { WorkflowDraft, WorkflowInput, WorkflowStats, WorkflowStatus } from './workflow';
import { ApiKeyInfo, Workspace } from './workspace';
import { Role, User } from './account';

/** `POST /api/workspaces`: the workspace and its first API key (shown once). */
export const CreatedWorkspace = z.object({ workspace: Workspace, apiKey: z.string().describe('Shown once') });
export type CreatedWorkspace = z.infer<typeof CreatedWorkspace>;

/** `POST …/api-keys`: the key's metadata and the key itself (shown once). */
export const CreatedApiKey = ApiKeyInfo.extend({ apiKey: z.string().describe('Shown once') });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** `GET …/workflows/:id/stats`: run statistics plus the seed's stats kept on the workflow. */
export const WorkflowStatsResponse = RunStats.extend({ workflowId: z.string(), stats: WorkflowStats });
export type WorkflowStatsResponse = z.infer<typeof WorkflowStatsResponse>;

/** `GET …/stats`: run statistics of the workspace plus its workflows counted by status. */
export const WorkspaceStatsResponse = RunStats.extend({ workflows: z.record(WorkflowStatus, z.number()) });
export type WorkspaceStatsResponse = z.infer<typeof WorkspaceStatsResponse>;

/** `GET …/triggers/:triggerId`: where a webhook listens, when a schedule fires next, and the trigger's counters. */
export const TriggerDetail = z.object({
  workflowId: z.string(),
  trigger: Trigger,
  webhookPath: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  nextFireTimes: z.array(z.string()).nullable(),
  stats: TriggerStats,
});
export type TriggerDetail = z.infer<typeof TriggerDetail>;

/** `POST …/triggers/:triggerId/rotate-secret`: the new webhook secret (shown once). */
export const RotatedSecret = z.object({
  secret: z.string().describe('Shown once'),
  credentialId: z.string(),
  workflowVersion: z.number(),
  activeSecrets: z.number(),
});
export type RotatedSecret = z.infer<typeof RotatedSecret>;

/** 202 of a manual run, a retry or a test run: the run id and where to poll it. */
export const AcceptedRun = z.object({ runId: z.string(), statusUrl: z.string() });
export type AcceptedRun = z.infer<typeof AcceptedRun>;

/** `POST …/test-events`: a one-shot test URL. */
export const TestListening = z.object({ token: z.string(), url: z.string(), expiresAt: z.string() });
export type TestListening = z.infer<typeof TestListening>;

/** `GET …/test-events/:token`: whether the test URL has received its event yet. */
export const TestListenState = z.object({ status: z.enum(['listening', 'received']), runId: z.string().optional(), expiresAt: z.string() });
export type TestListenState = z.infer<typeof TestListenState>;

/** A bundled workflow template (`GET /api/templates`). */
export const TemplateInfo = z.object({ id: z.string(), name: z.string(), description: z.string(), category: z.string(), workflow: WorkflowInput });
export type TemplateInfo = z.infer<typeof TemplateInfo>;

/** One dependency's readiness. */
export const ReadyCheck = z.object({ status: z.enum(['ok', 'down']), error: z.string().optional() });
export type ReadyCheck = z.infer<typeof ReadyCheck>;

/** `/readyz` and `/api/health`. */
export const ReadyReport = z.object({ status: z.enum(['ok', 'down']), checks: z.record(z.string(), ReadyCheck) });
export type ReadyReport = z.infer<typeof ReadyReport>;

/** Longest `{{ }}` template the expression preview accepts (characters). */
export const MAX_EXPRESSION_TEMPLATE_LENGTH = 10_000;

/** What `{{ }}` expressions see: the node's input, the trigger payload and earlier steps' outputs by node id. */
export const ExpressionScope = z.strictObject({
  input: JsonValue.optional(),
  trigger: JsonValue.optional(),
  steps: z.record(z.string(), JsonValue).optional(),
});
export type ExpressionScope = z.infer<typeof ExpressionScope>;

/** Body of `POST …/expressions/preview` (the gateway also bounds the number of `{{ }}` parts). */
export const ExpressionPreviewRequest = z.strictObject({
  template: z.string().max(MAX_EXPRESSION_TEMPLATE_LENGTH),
  scope: ExpressionScope,
});
export type ExpressionPreviewRequest = z.infer<typeof ExpressionPreviewRequest>;

/** The engine's answer: the value, or the expression error with its 0-based position in the template. */
export const ExpressionPreviewResult = z.union([
  z.object({ ok: z.literal(true), value: JsonValue.optional().describe('Absent when the expression yields nothing') }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.literal(ErrorCode.EXPRESSION),
      message: z.string(),
      position: z.number().int().optional().describe('0-based character index in the template'),
    }),
  }),
]);
export type ExpressionPreviewResult = z.infer<typeof ExpressionPreviewResult>;

/** `GET …/workflows/:id/draft`. */
export const DraftResponse = z.object({ draft: WorkflowDraft.nullable() });
export type DraftResponse = z.infer<typeof DraftResponse>;

/** `POST …/workflows/validate`: every problem, not just the first. */
export const ValidationResult = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

/** `POST …/runs/:runId/approvals/:stepId` and the link decision. */
export const ApprovalDecisionResult = z.object({ runId: z.string(), stepId: z.string(), decision: z.enum(['approve', 'reject']) });
export type ApprovalDecisionResult = z.infer<typeof ApprovalDecisionResult>;

/** `POST …/events`: how many waiting runs the event resumed. */
export const EventResult = z.object({ resumed: z.number().int(), runIds: z.array(z.string()) });
export type EventResult = z.infer<typeof EventResult>;

/** `GET …/ai/prices`: the workspace's overrides and the bundled catalogue consulted after them. */
export const PriceOverrideList = z.object({ items: z.array(PriceOverride), catalogue: z.object({ source: z.string(), version: z.string() }) });
export type PriceOverrideList = z.infer<typeof PriceOverrideList>;

/** `GET …/ai/models`: the catalogue's models of one provider, and the providers it knows. */
export const CatalogueModels = z.object({
  provider: z.string(),
  models: z.array(z.string()),
  providers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type CatalogueModels = z.infer<typeof CatalogueModels>;

/** `POST …/data/:collection`: the new document's id. */
export const InsertedDocument = z.object({ id: z.string() });
export type InsertedDocument = z.infer<typeof InsertedDocument>;

/** `GET /api/auth/me` and every sign-in answer: the user, their workspaces and roles, and the CSRF token to echo. */
export const AccountView = z.object({
  user: User,
  workspaces: z.array(z.object({ workspace: Workspace, role: Role })),
  /** Echo in `X-CSRF-Token` on state-changing requests (also in the `outrun_csrf` cookie). */
  csrfToken: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;

/** `GET /api/auth/status`: what the sign-in page offers. */
export const AuthStatus = z.object({ hasUsers: z.boolean(), signUpOpen: z.boolean(), oidc: z.boolean(), mail: z.boolean() });
export type AuthStatus = z.infer<typeof AuthStatus>;
