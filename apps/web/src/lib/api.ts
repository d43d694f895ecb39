/**
 * The web app's view of the API gateway (API.md): a thin adapter over `@outrun/client` that binds the
 * workspace, so pages call `api.getWorkflow(id)`. Errors are `OutrunApiError` (`ApiError` here) with the
 * contract's `{status, code, message, details}`.
 */
import { createWorkflowApi, OutrunApiError, type ExpressionPreviewRequest, type RunFilters as ClientRunFilters, type StreamOptions } from '@outrun/client';
import type { CredentialInput, JsonObject, JsonSchema, JsonValue, NodeDescription, WorkflowInputRaw, WorkflowStatsResponse, WorkspaceStatsResponse } from '@outrun/schemas';

import { csrf } from './session-api';
import { WEB_CLIENT_HEADER } from './web-client';

export { OutrunApiError as ApiError };
export type { TriggerDetail } from '@outrun/client';

/*
 * Response shapes are defined once, as zod, in `@outrun/schemas` (api-responses.ts); the web app imports their
 * types only (`import type`), so no zod schema reaches the bundle.
 */
/** One failing field or rule (`path` like `nodes.3.data.url`, or `body.nodes.3.data.url` for request bodies). */
export type { ErrorDetail as ApiErrorDetail, JsonSchema, RunStatsPerDay as DayStats, TemplateInfo } from '@outrun/schemas';

/** A node type as `GET /api/nodes` describes it; `paramsSchema` seen as the form generator's JSON Schema subset. */
export type NodeTypeInfo = Omit<NodeDescription, 'paramsSchema'> & { paramsSchema: JsonSchema };

/** `GET …/stats` (workspace) and `GET …/workflows/:id/stats`: totals over `?days=` plus one row per day. */
export type RunStatsView = WorkspaceStatsResponse;
export type WorkflowStatsView = WorkflowStatsResponse;

/** Run list filters as the URL holds them (strings; validated by the gateway). */
export type RunFilters = Omit<ClientRunFilters, 'status' | 'triggerType'> & { status?: string; triggerType?: string };

export interface ApiOptions {
  /** Base URL of the gateway (absolute, or same-origin such as `/gateway`). */
  baseUrl: string;
  workspaceId: string;
}

/** Same-origin calls with the session cookie; state-changing ones echo the CSRF cookie (docs/accounts.md). */
const sessionFetch: typeof fetch = (input, init = {}) => {
  const method = (init.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return globalThis.fetch(input, { credentials: 'same-origin', ...init });
  const headers = new Headers(init.headers);
  headers.set('x-csrf-token', csrf());
  return globalThis.fetch(input, { credentials: 'same-origin', ...init, headers });
};

/** Builds the client. Pure: no request is made until a method is called. */
export function createApi(options: ApiOptions) {
  const c = createWorkflowApi({ baseUrl: options.baseUrl, headers: { [WEB_CLIENT_HEADER]: 'web' }, fetch: sessionFetch });
  const ws = options.workspaceId;
  return {
    options,
    client: c,
    streamRunEvents: (runId: string, opts: StreamOptions) => c.streamRunEvents(ws, runId, opts),
    streamWorkspaceEvents: (opts: StreamOptions) => c.streamWorkspaceEvents(ws, opts),

    listNodes: (): Promise<NodeTypeInfo[]> => c.listNodes(),
    listTemplates: () => c.listTemplates().then((p) => p.items),
    instantiateTemplate: (templateId: string, name?: string) => c.instantiateTemplate(ws, templateId, name ? { name } : {}),

    listWorkflows: (q: { status?: string; limit?: number; cursor?: string } = {}) => c.listWorkflows(ws, q as Parameters<typeof c.listWorkflows>[1]),
    createWorkflow: (input: WorkflowInputRaw) => c.createWorkflow(ws, input),
    getWorkflow: (id: string) => c.getWorkflow(ws, id),
    updateWorkflow: (id: string, input: WorkflowInputRaw, expectedVersion?: number) =>
      c.updateWorkflow(ws, id, input, expectedVersion === undefined ? {} : { expectedVersion }),
    /** Archives (`DELETE`): runs and versions are kept; the workflow can no longer run, be activated or saved. */
    archiveWorkflow: (id: string) => c.archiveWorkflow(ws, id),
    getDraft: (id: string) => c.getDraft(ws, id).then((r) => r.draft),
    saveDraft: (id: string, input: WorkflowInputRaw, baseVersion: number) => c.saveDraft(ws, id, input, { baseVersion }),
    discardDraft: (id: string) => c.discardDraft(ws, id),
    publish: (id: string, opts: { message?: string; expectedVersion?: number } = {}) => c.publishWorkflow(ws, id, opts),
    validate: (input: WorkflowInputRaw) => c.validateWorkflow(ws, input),
    activate: (id: string) => c.activateWorkflow(ws, id),
    pause: (id: string) => c.pauseWorkflow(ws, id),
    listVersions: (id: string) => c.listVersions(ws, id, { limit: 100 }),
    getVersion: (id: string, v: number) => c.getVersion(ws, id, v),
    restoreVersion: (id: string, v: number) => c.restoreVersion(ws, id, v),
    workflowStats: (id: string, days = 30): Promise<WorkflowStatsView> => c.getWorkflowStats(ws, id, { days }),
    workspaceStats: (days = 30): Promise<RunStatsView> => c.getWorkspaceStats(ws, { days }),
    triggerDetail: (id: string, triggerId: string) => c.getTrigger(ws, id, triggerId),
    /** `revokePrevious`: the previous secret stops working now (a leak) instead of at the next rotation. */
    rotateSecret: (id: string, triggerId: string, revokePrevious = false) => c.rotateTriggerSecret(ws, id, triggerId, { revokePrevious }),
    runNow: (id: string, payload: JsonValue, triggerId?: string) => c.runWorkflow(ws, id, triggerId === undefined ? { payload } : { payload, triggerId }),

    /** The editor's test loop (docs/editor.md): a test run of the draft; `step` executes that step only. */
    startTestRun: (id: string, body: { payload?: JsonValue; triggerId?: string; fromRunId?: string; step?: string }) => c.startTestRun(ws, id, body),
    listenForTestEvent: (id: string, triggerId?: string) => c.listenForTestEvent(ws, id, triggerId === undefined ? {} : { triggerId }),
    getTestEvent: (id: string, token: string) => c.getTestEvent(ws, id, token),

    listRuns: (f: RunFilters = {}) => c.listRuns(ws, f as ClientRunFilters),
    getRun: (runId: string) => c.getRun(ws, runId),
    cancelRun: (runId: string) => c.cancelRun(ws, runId),
    retryRun: (runId: string, fromFailedStep: boolean) => c.retryRun(ws, runId, { fromFailedStep }),
    decideApproval: (runId: string, stepId: string, body: { decision: 'approve' | 'reject'; answer?: JsonValue; comment?: string }) => c.decideApproval(ws, runId, stepId, body),

    listApiKeys: () => c.listApiKeys(ws).then((p) => p.items),
    createApiKey: (name?: string) => c.createApiKey(ws, name ? { name } : {}),
    revokeApiKey: (keyId: string) => c.revokeApiKey(ws, keyId),

    listCredentials: () => c.listCredentials(ws).then((p) => p.items),
    createCredential: (input: CredentialInput) => c.createCredential(ws, input),
    deleteCredential: (id: string) => c.deleteCredential(ws, id),
    /** Connector credential types that can be tried against their service before they are saved. */
    listTestableCredentialTypes: () => c.listConnectors().then((list) => list.flatMap((k) => k.credentials.filter((t) => t.testable).map((t) => ({ type: t.type, label: t.label, schema: t.schema })))),
    testConnectorCredential: (type: string, data: JsonObject) => c.testConnectorCredential(ws, { type, data }),

    listCollections: () => c.listCollections(ws).then((p) => p.items),
    listDocuments: (collection: string, filter?: JsonObject, cursor?: string) =>
      c.listDocuments(ws, collection, { limit: 100, ...(filter ? { filter } : {}), ...(cursor ? { cursor } : {}) }),
    insertDocument: (collection: string, data: JsonObject) => c.insertDocument(ws, collection, data),
    deleteDocument: (collection: string, docId: string) => c.deleteDocument(ws, collection, docId),

    listPriceOverrides: () => c.listPriceOverrides(ws),
    putPriceOverride: (model: string, price: { input: number; cachedInput?: number; output: number; note?: string }) => c.putPriceOverride(ws, model, price),
    deletePriceOverride: (model: string) => c.deletePriceOverride(ws, model),
    getAiSettings: () => c.getAiSettings(ws),
    setAiSettings: (settings: { traceContent: boolean }) => c.setAiSettings(ws, settings),
    /** The price catalogue's models of the provider a credential points at (OpenAI without one). */
    listAiModels: (credentialId?: string) => c.listAiModels(ws, credentialId ? { credentialId } : {}),

    /** Evaluates a `{{ }}` template with the engine against the given scope; `signal` aborts a stale request. */
    previewExpression: (body: ExpressionPreviewRequest, signal?: AbortSignal) => c.previewExpression(ws, body, signal === undefined ? {} : { signal }),
  };
}

export type Api = ReturnType<typeof createApi>;
