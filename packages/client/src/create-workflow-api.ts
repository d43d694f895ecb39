/**
 * The typed WorkflowAPI client: one method per gateway route. Browser-safe (fetch only, no node: imports).
 */
import type {
  PriceOverride,
  PriceOverrideInput,
  WorkspaceAiSettings,
  ApiKeyInfo,
  CredentialInfo,
  CredentialType,
  ConnectorSummary,
  DataDocument,
  JsonObject,
  JsonValue,
  NodeDescription,
  Page,
  Run,
  RunSummary,
  Workflow,
  WorkflowExport,
  WorkflowInputRaw,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowDraft,
  WorkflowVersion,
  WorkflowVersionSummary,
  Workspace,
} from '@outrun/schemas';
import { ErrorCode } from '@outrun/schemas/error-codes';
import { errorFromResponse, OutrunApiError } from './errors';
import { readEventStream, type StreamOptions } from './sse';
import type {
  AcceptedRun,
  ApprovalDecisionResult,
  CatalogueModels,
  CreatedApiKey,
  CreatedWorkspace,
  DraftResponse,
  EventResult,
  ExpressionPreviewRequest,
  ExpressionPreviewResult,
  InsertedDocument,
  ManualRunOptions,
  PriceOverrideList,
  ReadyReport,
  RotatedSecret,
  RunFilters,
  TemplateInfo,
  TestListenState,
  TestListening,
  TriggerDetail,
  ValidationResult,
  WorkflowStatsResponse,
  WorkspaceStatsResponse,
} from './types';

export interface WorkflowApiOptions {
  /** Gateway URL, e.g. `http://localhost:3001`. */
  baseUrl: string;
  /** An API key of the workspace(s) you call. */
  apiKey?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** Overrides the bearer token (admin token). */
  token?: string;
  /** Aborts the request; the promise then rejects with the signal's reason (not an OutrunApiError). */
  signal?: AbortSignal;
}

const seg = encodeURIComponent;

export type WorkflowApi = ReturnType<typeof createWorkflowApi>;

/** Creates the client. Every method throws {@link OutrunApiError} on a non-2xx answer. */
export function createWorkflowApi(options: WorkflowApiOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);

  const headersFor = (token: string | undefined, extra?: Record<string, string>): Record<string, string> => {
    const h: Record<string, string> = { ...options.headers, ...extra };
    const bearer = token ?? options.apiKey;
    if (bearer !== undefined) h.Authorization = `Bearer ${bearer}`;
    return h;
  };

  const url = (path: string, query?: Query): string => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${base}${path}${qs === '' ? '' : `?${qs}`}`;
  };

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers = headersFor(opts.token, opts.headers);
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(url(path, opts.query), {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
    } catch (err) {
      if (opts.signal?.aborted === true) throw err;
      throw new OutrunApiError(0, ErrorCode.NETWORK, `Could not reach ${base}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  const ws = (workspaceId: string) => `/api/workspaces/${seg(workspaceId)}`;
  const wf = (workspaceId: string, id: string) => `${ws(workspaceId)}/workflows/${seg(id)}`;
  const run = (workspaceId: string, runId: string) => `${ws(workspaceId)}/runs/${seg(runId)}`;
  const doc = (workspaceId: string, collection: string) => `${ws(workspaceId)}/data/${seg(collection)}`;

  return {
    // ── workspaces and keys ──
    createWorkspace: (name: string, adminToken: string) => request<CreatedWorkspace>('POST', '/api/workspaces', { body: { name }, token: adminToken }),
    getWorkspace: (workspaceId: string) => request<Workspace>('GET', ws(workspaceId)),
    getWorkspaceStats: (workspaceId: string, query: { days?: number } = {}) => request<WorkspaceStatsResponse>('GET', `${ws(workspaceId)}/stats`, { query }),
    createApiKey: (workspaceId: string, body: { name?: string } = {}) => request<CreatedApiKey>('POST', `${ws(workspaceId)}/api-keys`, { body }),
    listApiKeys: (workspaceId: string) => request<Page<ApiKeyInfo>>('GET', `${ws(workspaceId)}/api-keys`),
    revokeApiKey: (workspaceId: string, keyId: string) => request<void>('DELETE', `${ws(workspaceId)}/api-keys/${seg(keyId)}`),

    // ── workflows ──
    /** Summaries (no graphs); a page may end before `limit` when it reaches the byte budget — follow `nextCursor`. */
    listWorkflows: (workspaceId: string, query: { status?: WorkflowStatus; limit?: number; cursor?: string } = {}) =>
      request<Page<WorkflowSummary>>('GET', `${ws(workspaceId)}/workflows`, { query }),
    /** Whole workflows (`?view=full`), in pages bounded by bytes. */
    listWorkflowsFull: (workspaceId: string, query: { status?: WorkflowStatus; limit?: number; cursor?: string } = {}) =>
      request<Page<Workflow>>('GET', `${ws(workspaceId)}/workflows`, { query: { ...query, view: 'full' } }),
    createWorkflow: (workspaceId: string, input: WorkflowInputRaw) => request<Workflow>('POST', `${ws(workspaceId)}/workflows`, { body: input }),
    /** Problems activation would report, without saving (extension). */
    validateWorkflow: (workspaceId: string, input: WorkflowInputRaw) =>
      request<ValidationResult>('POST', `${ws(workspaceId)}/workflows/validate`, { body: input }),
    getWorkflow: (workspaceId: string, id: string) => request<Workflow>('GET', wf(workspaceId, id)),
    updateWorkflow: (workspaceId: string, id: string, input: WorkflowInputRaw, opts: { expectedVersion?: number } = {}) =>
      request<Workflow>('PUT', wf(workspaceId, id), { body: opts.expectedVersion === undefined ? input : { ...input, expectedVersion: opts.expectedVersion } }),
    /** The unpublished draft, or `{ draft: null }`. */
    getDraft: (workspaceId: string, id: string) => request<DraftResponse>('GET', `${wf(workspaceId, id)}/draft`),
    /** Autosave: replaces the draft; triggers and runs keep the live version. */
    saveDraft: (workspaceId: string, id: string, input: WorkflowInputRaw, opts: { baseVersion?: number } = {}) =>
      request<WorkflowDraft>('PUT', `${wf(workspaceId, id)}/draft`, { body: opts.baseVersion === undefined ? input : { ...input, baseVersion: opts.baseVersion } }),
    discardDraft: (workspaceId: string, id: string) => request<void>('DELETE', `${wf(workspaceId, id)}/draft`),
    /** Makes the draft the next live version (409 when there is none or the live version moved on). */
    publishWorkflow: (workspaceId: string, id: string, opts: { message?: string; expectedVersion?: number } = {}) =>
      request<Workflow>('POST', `${wf(workspaceId, id)}/publish`, { body: opts }),
    /** Test run of the draft (editor test loop; not in production stats). `step`: execute that step only. */
    startTestRun: (workspaceId: string, id: string, body: { payload?: JsonValue; triggerId?: string; fromRunId?: string; step?: string } = {}) =>
      request<AcceptedRun>('POST', `${wf(workspaceId, id)}/test-runs`, { body }),
    /** A one-shot test URL: its next delivery starts a test run (`getTestEvent` tells which). */
    listenForTestEvent: (workspaceId: string, id: string, body: { triggerId?: string } = {}) =>
      request<TestListening>('POST', `${wf(workspaceId, id)}/test-events`, { body }),
    getTestEvent: (workspaceId: string, id: string, token: string) =>
      request<TestListenState>('GET', `${wf(workspaceId, id)}/test-events/${seg(token)}`),
    /** Archives (runs are kept). */
    archiveWorkflow: (workspaceId: string, id: string) => request<void>('DELETE', wf(workspaceId, id)),
    activateWorkflow: (workspaceId: string, id: string) => request<Workflow>('POST', `${wf(workspaceId, id)}/activate`),
    pauseWorkflow: (workspaceId: string, id: string) => request<Workflow>('POST', `${wf(workspaceId, id)}/pause`),
    /** Version metadata, newest first; one whole version is `getVersion`. */
    listVersions: (workspaceId: string, id: string, query: { limit?: number; cursor?: string } = {}) =>
      request<Page<WorkflowVersionSummary>>('GET', `${wf(workspaceId, id)}/versions`, { query }),
    getVersion: (workspaceId: string, id: string, version: number) => request<WorkflowVersion>('GET', `${wf(workspaceId, id)}/versions/${version}`),
    restoreVersion: (workspaceId: string, id: string, version: number) => request<Workflow>('POST', `${wf(workspaceId, id)}/versions/${version}/restore`),
    getWorkflowStats: (workspaceId: string, id: string, query: { days?: number } = {}) => request<WorkflowStatsResponse>('GET', `${wf(workspaceId, id)}/stats`, { query }),
    getTrigger: (workspaceId: string, id: string, triggerId: string) => request<TriggerDetail>('GET', `${wf(workspaceId, id)}/triggers/${seg(triggerId)}`),
    /** `revokePrevious`: the previous secret stops working now instead of at the next rotation. */
    rotateTriggerSecret: (workspaceId: string, id: string, triggerId: string, opts: { revokePrevious?: boolean } = {}) =>
      request<RotatedSecret>('POST', `${wf(workspaceId, id)}/triggers/${seg(triggerId)}/rotate-secret`, { query: { revokePrevious: opts.revokePrevious ? 'true' : undefined } }),
    exportWorkflow: (workspaceId: string, id: string) => request<WorkflowExport>('GET', `${wf(workspaceId, id)}/export`),
    importWorkflow: (workspaceId: string, exported: WorkflowExport | { schemaVersion: 1; exportedAt: string; workflow: WorkflowInputRaw }) =>
      request<Workflow>('POST', `${ws(workspaceId)}/workflows/import`, { body: exported }),
    listConnectors: () => request<ConnectorSummary[]>('GET', '/api/connectors'),
    /** Runs a connector's own credential test against its service (10 s at most); `ok: false` carries the reason. */
    testConnectorCredential: (workspaceId: string, body: { type: string; data: JsonObject }) =>
      request<{ ok: boolean; message?: string }>('POST', `${ws(workspaceId)}/connectors/credentials/test`, { body }),

    // ── runs ──
    runWorkflow: (workspaceId: string, id: string, opts: ManualRunOptions = {}) =>
      request<AcceptedRun>('POST', `${wf(workspaceId, id)}/runs`, {
        body: { payload: opts.payload ?? {}, ...(opts.triggerId === undefined ? {} : { triggerId: opts.triggerId }) },
        ...(opts.idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': opts.idempotencyKey } }),
      }),
    listRuns: (workspaceId: string, filters: RunFilters = {}) => request<Page<RunSummary>>('GET', `${ws(workspaceId)}/runs`, { query: { ...filters } }),
    getRun: (workspaceId: string, runId: string) => request<Run>('GET', run(workspaceId, runId)),
    cancelRun: (workspaceId: string, runId: string) => request<Run>('POST', `${run(workspaceId, runId)}/cancel`),
    /** Approves or rejects a waiting approval step (docs/composition.md); 409 when it no longer waits. */
    decideApproval: (workspaceId: string, runId: string, stepId: string, body: { decision: 'approve' | 'reject'; answer?: JsonValue; comment?: string }) =>
      request<ApprovalDecisionResult>('POST', `${run(workspaceId, runId)}/approvals/${seg(stepId)}`, { body }),
    /** Posts an event: resumes the runs waiting for this name and key. */
    postEvent: (workspaceId: string, body: { name: string; key: string; payload?: JsonValue }) => request<EventResult>('POST', `${ws(workspaceId)}/events`, { body }),
    retryRun: (workspaceId: string, runId: string, opts: { fromFailedStep?: boolean } = {}) => request<AcceptedRun>('POST', `${run(workspaceId, runId)}/retry`, { body: opts }),
    /** Follows one run: `snapshot`, then `step`/`status` events; resolves when the run is terminal or `signal` aborts. */
    streamRunEvents: (workspaceId: string, runId: string, opts: StreamOptions) => readEventStream(fetchImpl, url(`${run(workspaceId, runId)}/events`), headersFor(undefined), opts),
    /** Every run event of the workspace until `signal` aborts. */
    streamWorkspaceEvents: (workspaceId: string, opts: StreamOptions) => readEventStream(fetchImpl, url(`${ws(workspaceId)}/events`), headersFor(undefined), opts),

    // ── data collections ──
    listCollections: (workspaceId: string) => request<Page<string>>('GET', `${ws(workspaceId)}/data`),
    insertDocument: (workspaceId: string, collection: string, data: JsonObject) => request<InsertedDocument>('POST', doc(workspaceId, collection), { body: data }),
    listDocuments: (workspaceId: string, collection: string, query: { filter?: JsonObject; limit?: number; cursor?: string } = {}) =>
      request<Page<DataDocument>>('GET', doc(workspaceId, collection), {
        query: { limit: query.limit, cursor: query.cursor, filter: query.filter === undefined ? undefined : JSON.stringify(query.filter) },
      }),
    getDocument: (workspaceId: string, collection: string, docId: string) => request<DataDocument>('GET', `${doc(workspaceId, collection)}/${seg(docId)}`),
    updateDocument: (workspaceId: string, collection: string, docId: string, patch: JsonObject) =>
      request<DataDocument>('PATCH', `${doc(workspaceId, collection)}/${seg(docId)}`, { body: patch }),
    deleteDocument: (workspaceId: string, collection: string, docId: string) => request<void>('DELETE', `${doc(workspaceId, collection)}/${seg(docId)}`),

    // ── credentials ──
    /** `allowedHosts`: where the credential may be sent (origins, hosts, `*.domains`); required for HTTP types. */
    createCredential: (workspaceId: string, input: { name: string; type: CredentialType; data: JsonObject; allowedHosts?: string[] | undefined }) =>
      request<CredentialInfo>('POST', `${ws(workspaceId)}/credentials`, { body: input }),
    /** Replaces where a credential may be sent (extension). */
    setCredentialHosts: (workspaceId: string, credentialId: string, allowedHosts: string[]) =>
      request<CredentialInfo>('PATCH', `${ws(workspaceId)}/credentials/${seg(credentialId)}`, { body: { allowedHosts } }),
    listCredentials: (workspaceId: string) => request<Page<CredentialInfo>>('GET', `${ws(workspaceId)}/credentials`),
    deleteCredential: (workspaceId: string, credentialId: string) => request<void>('DELETE', `${ws(workspaceId)}/credentials/${seg(credentialId)}`),

    // ── AI settings (price overrides, content tracing, catalogue models) ──
    listPriceOverrides: (workspaceId: string) =>
      request<PriceOverrideList>('GET', `${ws(workspaceId)}/ai/prices`),
    /** USD per 1M tokens; wins over the instance override file and the catalogue for this workspace's steps. */
    putPriceOverride: (workspaceId: string, model: string, price: PriceOverrideInput) =>
      request<PriceOverride>('PUT', `${ws(workspaceId)}/ai/prices/${seg(model)}`, { body: price }),
    deletePriceOverride: (workspaceId: string, model: string) => request<void>('DELETE', `${ws(workspaceId)}/ai/prices/${seg(model)}`),
    getAiSettings: (workspaceId: string) => request<WorkspaceAiSettings>('GET', `${ws(workspaceId)}/ai/settings`),
    setAiSettings: (workspaceId: string, settings: WorkspaceAiSettings) => request<WorkspaceAiSettings>('PUT', `${ws(workspaceId)}/ai/settings`, { body: settings }),
    /** The catalogue's models of a provider, or of the provider an `openai` credential's base URL points at. */
    listAiModels: (workspaceId: string, query: { provider?: string; credentialId?: string } = {}) =>
      request<CatalogueModels>('GET', `${ws(workspaceId)}/ai/models`, { query }),

    // ── expressions ──
    /** Evaluates a `{{ }}` template with the engine against `scope` (extension); an expression error is `{ok: false}`, not a throw. */
    previewExpression: (workspaceId: string, body: ExpressionPreviewRequest, opts: { signal?: AbortSignal } = {}) =>
      request<ExpressionPreviewResult>('POST', `${ws(workspaceId)}/expressions/preview`, { body, ...(opts.signal === undefined ? {} : { signal: opts.signal }) }),

    // ── catalog, templates, service ──
    listNodes: () => request<NodeDescription[]>('GET', '/api/nodes'),
    listTemplates: () => request<Page<TemplateInfo>>('GET', '/api/templates'),
    getTemplate: (templateId: string) => request<TemplateInfo>('GET', `/api/templates/${seg(templateId)}`),
    instantiateTemplate: (workspaceId: string, templateId: string, body: { name?: string } = {}) =>
      request<Workflow>('POST', `${ws(workspaceId)}/templates/${seg(templateId)}/instantiate`, { body }),
    getOpenApi: () => request<Record<string, unknown>>('GET', '/api/openapi.json'),
    health: () => request<ReadyReport>('GET', '/api/health'),
  };
}
