/**
 * The store ports. Every adapter (SQLite, MongoDB) implements all of them with the same semantics,
 * proven by one contract suite (`@outrun/store/contract`).
 *
 * Tenancy: every method takes the workspace id first; nothing of workspace A is ever returned for
 * workspace B, whatever ids are given (a foreign id behaves exactly like a missing one).
 */
import type {
  PriceOverride,
  PriceOverrideInput,
  WorkspaceAiSettings,
  ApiKeyInfo,
  CredentialInfo,
  CredentialInput,
  DataChangeEvent,
  DataDocument,
  DataOperation,
  JsonObject,
  Page,
  Run,
  RunResponse,
  RunStats,
  RunStatus,
  RunSummary,
  RunUsage,
  SerializedError,
  Step,
  TriggeredBy,
  TriggerStatCounter,
  TriggerStats,
  Workflow,
  WorkflowInput,
  WorkflowStats,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowDraft,
  WorkflowVersion,
  WorkflowVersionSummary,
  Workspace,
  Role,
} from '@outrun/schemas';
import type { HousekeepingStore } from './housekeeping-ports';
import type { AccountStore } from './account-ports';

export type * from './housekeeping-ports';
export type * from './account-ports';

export interface PageOptions {
  /** @default 50 (max 500) */
  limit?: number;
  cursor?: string;
  /**
   * Byte budget of the page: an adapter may end the page early (with a `nextCursor`) once its items' stored JSON
   * reaches it, without reading further rows; at least one item is returned. Honoured by SQLite's `listRuns` and `find`;
   * callers still measure what they send. @default unbounded
   */
  maxBytes?: number;
}

// ── workspaces and API keys ──────────────────────────────────────────────────

export interface CreatedApiKey {
  info: ApiKeyInfo;
  /** The secret, shown once: `out_<prefix>_<random>`. */
  apiKey: string;
}

export interface WorkspaceStore {
  createWorkspace(input: { name: string; id?: string }): Promise<Workspace>;
  getWorkspace(workspaceId: string): Promise<Workspace | null>;
  listWorkspaces(): Promise<Workspace[]>;
  /** Creates a key; stores only a salted hash and a short visible prefix. */
  createApiKey(workspaceId: string, options?: { name?: string; role?: Role; expiresAt?: string }): Promise<CreatedApiKey>;
  listApiKeys(workspaceId: string): Promise<ApiKeyInfo[]>;
  /** @returns false when the key does not exist in this workspace. */
  revokeApiKey(workspaceId: string, keyId: string): Promise<boolean>;
  /** Resolves a presented secret to its key (constant-time hash comparison), or null (also when expired). Updates lastUsedAt lazily. */
  verifyApiKey(apiKey: string): Promise<ApiKeyInfo | null>;
}

// ── workflows and versions ───────────────────────────────────────────────────

export interface WorkflowListOptions extends PageOptions {
  status?: WorkflowStatus;
}

export interface WorkflowStore {
  /** Creates version 1 with `status: "draft"`. */
  createWorkflow(workspaceId: string, input: WorkflowInput, options?: { id?: string }): Promise<Workflow>;
  getWorkflow(workspaceId: string, workflowId: string): Promise<Workflow | null>;
  listWorkflows(workspaceId: string, options?: WorkflowListOptions): Promise<Page<Workflow>>;
  /**
   * Full replace → a new immutable version (`version + 1`).
   * @throws UserError(VERSION_CONFLICT, 409) when `expectedVersion` is given and differs.
   * @returns null when the workflow does not exist in this workspace.
   */
  updateWorkflow(workspaceId: string, workflowId: string, input: WorkflowInput, options?: { expectedVersion?: number; message?: string }): Promise<Workflow | null>;
  /** The unpublished draft of a workflow, or null when there is none. */
  getWorkflowDraft(workspaceId: string, workflowId: string): Promise<WorkflowDraft | null>;
  /** Replaces the draft (one per workflow; no version, no change-counter bump: triggers never read it). @returns null when the workflow is missing. */
  saveWorkflowDraft(workspaceId: string, workflowId: string, input: WorkflowInput, baseVersion: number): Promise<WorkflowDraft | null>;
  /** Drops the draft. @returns whether there was one. */
  deleteWorkflowDraft(workspaceId: string, workflowId: string): Promise<boolean>;
  /** Status change only (no new version). @returns null when missing. */
  setWorkflowStatus(workspaceId: string, workflowId: string, status: WorkflowStatus): Promise<Workflow | null>;
  getWorkflowVersion(workspaceId: string, workflowId: string, version: number): Promise<WorkflowVersion | null>;
  listWorkflowVersions(workspaceId: string, workflowId: string, options?: PageOptions): Promise<Page<WorkflowVersion>>;
  /** Like `listWorkflows` (same order and cursors) without the graphs: what list pages answer. */
  listWorkflowSummaries(workspaceId: string, options?: WorkflowListOptions): Promise<Page<WorkflowSummary>>;
  /** Like `listWorkflowVersions` (same order and cursors), metadata only. */
  listWorkflowVersionSummaries(workspaceId: string, workflowId: string, options?: PageOptions): Promise<Page<WorkflowVersionSummary>>;
  /** Every workflow of every workspace with `status: "active"` (the listener's view). */
  listActiveWorkflows(): Promise<Workflow[]>;
  /**
   * A monotonically increasing change counter over all workflows (bumped on every create, update and status
   * change), so other processes can notice edits cheaply by polling.
   */
  workflowsChangeCounter(): Promise<number>;
  /**
   * Which of `triggerIds` a non-archived workflow of the workspace (other than `exceptWorkflowId`) holds, as
   * trigger id → workflow id. Answered from the unique index that also refuses a taken id on save (409).
   */
  triggerIdOwners(workspaceId: string, triggerIds: readonly string[], exceptWorkflowId?: string): Promise<Map<string, string>>;
}

// ── runs ─────────────────────────────────────────────────────────────────────

export interface CreateRunInput {
  workflowId: string;
  workflowVersion: number;
  triggeredBy: TriggeredBy;
  /** Unique per workspace: a second create with the same key returns the first run (`created: false`). */
  idempotencyKey?: string;
  /** Idempotency keys expire after this many ms. @default 72 h */
  idempotencyTtlMs?: number;
  retryOf?: string;
  id?: string;
  /**
   * Not before this instant: the run is recorded now but stays `queued` until then (a schedule occurrence staged
   * ahead of its due instant). Stored as the run's `resumeAt`, so only its resume job starts it.
   */
  resumeAt?: string;
  /** A sub-workflow's run: the run and `workflow` step that started it. */
  parentRunId?: string;
  parentStepId?: string;
}

/** A signal delivered to a waiting run (approval decision, event, child run finished): see `deliverSignal`. */
export interface SignalDelivery {
  signal: string;
  payload: unknown;
  /** The run resumes at this instant (now). */
  at: string;
}

export interface RunListOptions extends PageOptions {
  workflowId?: string;
  status?: RunStatus;
  triggerType?: string;
  /** Only the children of this run (sub-workflow runs started by its `workflow` steps). */
  parentRunId?: string;
  /** ISO timestamps bounding `queuedAt`. */
  from?: string;
  to?: string;
}

export interface FinishRunInput {
  status: 'completed' | 'failed' | 'cancelled';
  error?: SerializedError;
  output?: unknown;
  response?: RunResponse;
  usage?: RunUsage;
}

/** A step as it starts: the schema's `Step` fields known then (one step shape, `@outrun/schemas`). */
export type StepStartInput = Pick<Step, 'nodeId' | 'nodeType' | 'attempt' | 'startedAt' | 'input'>;

/**
 * A step as it ends: the schema's `Step` with `finishedAt` and `duration` required. `nodeType` is needed only when
 * no start was recorded (e.g. a `skipped` step; otherwise the started step's type is kept); `startedAt` is used only
 * then (@default finishedAt). `input` comes with the finish only when its start was not recorded separately (start
 * and finish in one write for a step that finished within the same tick); omitted, the input recorded at start is kept.
 */
export type StepFinishInput = Pick<Step, 'nodeId' | 'status' | 'attempt' | 'output' | 'handle' | 'error' | 'usage' | 'input'> &
  Partial<Pick<Step, 'nodeType' | 'startedAt'>> & { finishedAt: NonNullable<Step['finishedAt']>; duration: NonNullable<Step['duration']> };

export interface RunStatsQuery {
  workflowId?: string;
  /** Days of per-day series, ending today (UTC). @default 30 */
  days?: number;
  now?: Date;
}

/** Run statistics: the shape lives in @outrun/schemas (shared with the API client and the web app). */
export type { RunStats } from '@outrun/schemas';

export interface RunStore {
  /** Records a `queued` run. Idempotent on `idempotencyKey` within its TTL. */
  createRun(workspaceId: string, input: CreateRunInput): Promise<{ run: Run; created: boolean }>;
  getRun(workspaceId: string, runId: string): Promise<Run | null>;
  listRuns(workspaceId: string, options?: RunListOptions): Promise<Page<RunSummary>>;
  /** queued → running (sets startedAt, attempt). @returns null when the run is terminal or missing (do not execute). */
  markRunning(workspaceId: string, runId: string, options: { attempt: number; at: string; traceId?: string | undefined }): Promise<Run | null>;
  /** Parks a running run until `resumeAt` (durable delay); it stays `running` with `resumeAt` set. */
  parkRun(workspaceId: string, runId: string, resumeAt: string, waitingFor?: string): Promise<void>;
  /**
   * Compare-and-set: when the run is unfinished and waits for `signal`, it stops waiting, keeps the payload (read
   * back by `getSignalPayload` until the next park) and is parked until `at`. @returns false otherwise (at most one
   * delivery per wait wins).
   */
  deliverSignal(workspaceId: string, runId: string, delivery: SignalDelivery): Promise<boolean>;
  /** The payload of the last signal delivered since the run last parked; undefined when none. */
  getSignalPayload(workspaceId: string, runId: string): Promise<{ signal: string; payload: unknown } | undefined>;
  /** Ids of unfinished runs waiting for `signal` (indexed), oldest first. */
  listRunsWaitingFor(workspaceId: string, signal: string, limit?: number): Promise<string[]>;
  /** Upserts the step of `nodeId` as started. Atomic: concurrent writers never lose a step. No-op on terminal runs. */
  recordStepStart(workspaceId: string, runId: string, step: StepStartInput): Promise<void>;
  recordStepFinish(workspaceId: string, runId: string, step: StepFinishInput): Promise<void>;
  /**
   * Writes a terminal status once; updates the workflow's `stats` atomically in the same transaction.
   * @returns false when the run was already terminal (nothing changed).
   */
  finishRun(workspaceId: string, runId: string, input: FinishRunInput & { at: string }): Promise<boolean>;
  /**
   * Deletes a `queued` run that was never handed to the queue (enqueue failed), releasing its idempotency key,
   * so a 503 answer really accepted nothing. @returns false when the run is not queued or missing.
   */
  discardRun(workspaceId: string, runId: string): Promise<boolean>;
  /** queued|running → cancelled. @returns the run, or null when missing; a terminal run is returned unchanged. */
  cancelRun(workspaceId: string, runId: string, at: string): Promise<Run | null>;
  /** Runs in `queued` or `running` across all workspaces (re-enqueued at embedded start-up). */
  listUnfinishedRuns(limit?: number): Promise<Array<{ workspaceId: string; runId: string; status: RunStatus; resumeAt?: string }>>;
  getWorkflowStats(workspaceId: string, workflowId: string): Promise<WorkflowStats>;
  getRunStats(workspaceId: string, query?: RunStatsQuery): Promise<RunStats>;
  /** Deletes terminal runs finished before `before`. @returns how many were deleted. */
  deleteRunsFinishedBefore(workspaceId: string, before: string): Promise<number>;
}

// ── trigger state ────────────────────────────────────────────────────────────

export interface TriggerStateStore {
  getTriggerStats(workspaceId: string, triggerId: string): Promise<TriggerStats>;
  incrementTriggerStat(workspaceId: string, triggerId: string, counter: TriggerStatCounter, options?: { by?: number; at?: string }): Promise<void>;
  recordTriggerError(workspaceId: string, triggerId: string, error: { code: string; message: string; at: string }): Promise<void>;
  /** Last schedule occurrence fired (ISO), for catch-up after downtime. */
  getLastFiredOccurrence(workspaceId: string, triggerId: string): Promise<string | null>;
  /** Compare-and-set: only moves forward. @returns true when this call advanced it (the caller owns the occurrence). */
  advanceLastFiredOccurrence(workspaceId: string, triggerId: string, occurrence: string): Promise<boolean>;
  /** Saved change-feed position (SQLite change-log sequence or MongoDB resume token) per consumer. */
  getFeedPosition(consumerId: string): Promise<string | null>;
  saveFeedPosition(consumerId: string, position: string): Promise<void>;
}

// ── data collections ─────────────────────────────────────────────────────────

export interface DataFindOptions extends PageOptions {
  /** Equality filter on document fields (dotted paths). */
  filter?: JsonObject;
}

export interface DataChangeFeedOptions {
  /** Resume strictly after this position; absent = from now. */
  after?: string | null;
  /** Only these workspaces/collections. */
  workspaceId?: string;
  collection?: string;
  operations?: DataOperation[];
  signal?: AbortSignal;
  /**
   * Called with a newer position when the feed moved past changes it does not show (MongoDB: the resume token of
   * an empty batch). A consumer that saves it keeps a quiet feed inside the change history (oplog window).
   * SQLite never calls it (its change log is kept).
   */
  onIdlePosition?: (position: string) => void;
}

export interface DataStore {
  insert(workspaceId: string, collection: string, data: JsonObject, options?: { id?: string }): Promise<DataDocument>;
  get(workspaceId: string, collection: string, id: string): Promise<DataDocument | null>;
  /** Shallow merge of `patch` into the document. @returns null when missing. */
  update(workspaceId: string, collection: string, id: string, patch: JsonObject): Promise<DataDocument | null>;
  delete(workspaceId: string, collection: string, id: string): Promise<boolean>;
  find(workspaceId: string, collection: string, options?: DataFindOptions): Promise<Page<DataDocument>>;
  listCollections(workspaceId: string): Promise<string[]>;
  /**
   * Every insert, update and delete, in order, from the saved position. Delivers each change exactly once
   * per consumer when the consumer saves `event.position` after handling it (TriggerStateStore.saveFeedPosition).
   */
  changes(options: DataChangeFeedOptions): AsyncIterable<DataChangeEvent>;
}

// ── credentials ──────────────────────────────────────────────────────────────

export interface CredentialStore {
  create(workspaceId: string, input: CredentialInput): Promise<CredentialInfo>;
  list(workspaceId: string): Promise<CredentialInfo[]>;
  getInfo(workspaceId: string, credentialId: string): Promise<CredentialInfo | null>;
  /** Decrypted data; for nodes and the listener only, never for a route. */
  getSecret(workspaceId: string, credentialId: string): Promise<JsonObject | null>;
  /** Replaces the encrypted data (secret rotation). */
  updateSecret(workspaceId: string, credentialId: string, data: JsonObject): Promise<boolean>;
  /** Replaces where the credential may be sent; null when it does not exist. */
  setAllowedHosts(workspaceId: string, credentialId: string, allowedHosts: readonly string[]): Promise<CredentialInfo | null>;
  delete(workspaceId: string, credentialId: string): Promise<boolean>;
}

/** A workspace's AI settings: per-model price overrides and content tracing (see docs/prices.md). */
export interface AiSettingsStore {
  /** Sorted by model name. */
  listPriceOverrides(workspaceId: string): Promise<PriceOverride[]>;
  /** Creates or replaces the override of `model`. */
  putPriceOverride(workspaceId: string, model: string, price: PriceOverrideInput): Promise<PriceOverride>;
  deletePriceOverride(workspaceId: string, model: string): Promise<boolean>;
  /** Defaults (`traceContent: false`) when never set. */
  getAiSettings(workspaceId: string): Promise<WorkspaceAiSettings>;
  setAiSettings(workspaceId: string, settings: WorkspaceAiSettings): Promise<WorkspaceAiSettings>;
}

/** Every port, as one bundle handed to services. */
export interface Store {
  workspaces: WorkspaceStore;
  workflows: WorkflowStore;
  runs: RunStore;
  triggers: TriggerStateStore;
  data: DataStore;
  credentials: CredentialStore;
  aiSettings: AiSettingsStore;
  /** Quotas, retention, version pruning (see `housekeeping-ports.ts`). */
  housekeeping: HousekeepingStore;
  /** Users, memberships, sessions, invitations, audit log (`account-ports.ts`). */
  accounts: AccountStore;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
