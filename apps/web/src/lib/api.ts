/**
 * The web app's view of the API gateway (API.md). A thin typed layer over `fetch`; every call carries the
 * bearer key and turns error bodies into `ApiError` with the contract's `{code, message, details}`.
 */
import type {
  ApiKeyInfo,
  CredentialInfo,
  CredentialInput,
  DataDocument,
  JsonValue,
  Page,
  Run,
  RunSummary,
  TriggerStats,
  Workflow,
  WorkflowInputRaw,
  WorkflowVersion,
} from '@outrun/schemas';

/** One failing field or rule (`path` like `nodes.3.data.url`). */
export interface ApiErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/** An error answer of the gateway, or a network failure (`status: 0`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A node type as `GET /api/nodes` describes it. */
export interface NodeTypeInfo {
  type: string;
  label: string;
  description: string;
  category: string;
  icon: string;
  inputs: Array<{ id: string; label?: string }>;
  outputs: Array<{ id: string; label?: string }> | null;
  /** Outputs depend on the params (switch: one per case + default). */
  dynamicOutputs?: boolean;
  paramsSchema: JsonSchema;
}

/** The subset of JSON Schema the form generator understands. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: JsonValue[];
  const?: JsonValue;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

export interface TemplateInfo {
  id: string;
  name: string;
  description?: string;
  category?: string;
  tags?: string[];
}

/** One day of run statistics (`perDay` of the stats routes). */
export interface DayStats {
  date: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  aiTokensUsed: number;
  estimatedCost: number;
  avgDuration: number;
}

/** `GET …/stats` (workspace) and `GET …/workflows/:id/stats`: totals over `?days=` plus one row per day. */
export interface RunStatsView {
  totalRuns: number;
  successfulRuns: number;
  failedRuns: number;
  cancelledRuns?: number;
  successRate: number | null;
  avgExecutionTime: number;
  p95ExecutionTime: number | null;
  aiTokensUsed: number;
  estimatedCost: number;
  perDay: DayStats[];
  workflows?: Record<string, number>;
}

export type WorkflowStatsView = RunStatsView & { workflowId?: string };

/** `GET …/triggers/:triggerId`. */
export interface TriggerDetail {
  trigger?: { id: string; type: string; [k: string]: unknown };
  webhookUrl?: string;
  nextFireTimes?: string[];
  stats?: TriggerStats;
  [key: string]: unknown;
}

export interface RunFilters {
  workflowId?: string;
  status?: string;
  triggerType?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface ApiOptions {
  /** Base URL of the gateway (absolute, or same-origin such as `/gateway`). */
  baseUrl: string;
  apiKey: string | null;
  workspaceId: string;
}

const qs = (params: Record<string, string | number | undefined>): string => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
};

/** Builds the client. Pure: no request is made until a method is called. */
export function createApi(options: ApiOptions) {
  const base = options.baseUrl.replace(/\/$/, '');
  const ws = `/api/workspaces/${encodeURIComponent(options.workspaceId)}`;

  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = { accept: 'application/json' };
    if (json) h['content-type'] = 'application/json';
    if (options.apiKey) h.authorization = `Bearer ${options.apiKey}`;
    return h;
  };

  async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        signal: signal ?? null,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'OUT_ERR_UNAVAILABLE', 'Cannot reach the API. Check your connection and the gateway URL.');
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      const err = (parsed as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } } | null)?.error;
      throw new ApiError(
        response.status,
        err?.code ?? `HTTP_${response.status}`,
        err?.message ?? `The API answered ${response.status} ${response.statusText}.`,
        err?.details ?? [],
      );
    }
    return parsed as T;
  }

  const wf = (id: string) => `${ws}/workflows/${encodeURIComponent(id)}`;

  return {
    options,
    request,
    /** URL + headers for an SSE stream (the caller opens it with `streamSse`). */
    eventsUrl: (path: string) => ({ url: `${base}${path}`, headers: headers(false) }),
    runEventsPath: (runId: string) => `${ws}/runs/${encodeURIComponent(runId)}/events`,
    workspaceEventsPath: () => `${ws}/events`,

    listNodes: () => request<NodeTypeInfo[] | { items: NodeTypeInfo[] }>('GET', '/api/nodes').then((r) => (Array.isArray(r) ? r : r.items)),
    listTemplates: () => request<TemplateInfo[] | { items: TemplateInfo[] }>('GET', '/api/templates').then((r) => (Array.isArray(r) ? r : r.items)),
    instantiateTemplate: (templateId: string, name?: string) =>
      request<Workflow | { workflow: Workflow }>('POST', `${ws}/templates/${encodeURIComponent(templateId)}/instantiate`, name ? { name } : {}).then(
        (r) => ('workflow' in r && r.workflow ? r.workflow : (r as Workflow)),
      ),

    listWorkflows: (q: { status?: string; limit?: number; cursor?: string } = {}) => request<Page<Workflow>>('GET', `${ws}/workflows${qs(q)}`),
    createWorkflow: (input: WorkflowInputRaw) => request<Workflow>('POST', `${ws}/workflows`, input),
    getWorkflow: (id: string) => request<Workflow>('GET', wf(id)),
    updateWorkflow: (id: string, input: WorkflowInputRaw, expectedVersion?: number) =>
      request<Workflow>('PUT', wf(id), expectedVersion === undefined ? input : { ...input, expectedVersion }),
    deleteWorkflow: (id: string) => request<unknown>('DELETE', wf(id)),
    activate: (id: string) => request<Workflow>('POST', `${wf(id)}/activate`, {}),
    pause: (id: string) => request<Workflow>('POST', `${wf(id)}/pause`, {}),
    listVersions: (id: string) => request<Page<WorkflowVersion>>('GET', `${wf(id)}/versions?limit=100`),
    getVersion: (id: string, v: number) => request<WorkflowVersion>('GET', `${wf(id)}/versions/${v}`),
    restoreVersion: (id: string, v: number) => request<Workflow>('POST', `${wf(id)}/versions/${v}/restore`, {}),
    workflowStats: (id: string, days = 30) => request<WorkflowStatsView>('GET', `${wf(id)}/stats?days=${days}`),
    workspaceStats: (days = 30) => request<RunStatsView>('GET', `${ws}/stats?days=${days}`),
    triggerDetail: (id: string, triggerId: string) => request<TriggerDetail>('GET', `${wf(id)}/triggers/${encodeURIComponent(triggerId)}`),
    rotateSecret: (id: string, triggerId: string) =>
      request<{ secret: string; [k: string]: unknown }>('POST', `${wf(id)}/triggers/${encodeURIComponent(triggerId)}/rotate-secret`, {}),
    runNow: (id: string, payload: JsonValue) => request<{ runId: string }>('POST', `${wf(id)}/runs`, { payload }),

    listRuns: (f: RunFilters = {}) => request<Page<RunSummary>>('GET', `${ws}/runs${qs({ ...f })}`),
    getRun: (runId: string, signal?: AbortSignal) => request<Run>('GET', `${ws}/runs/${encodeURIComponent(runId)}`, undefined, signal),
    cancelRun: (runId: string) => request<unknown>('POST', `${ws}/runs/${encodeURIComponent(runId)}/cancel`, {}),
    retryRun: (runId: string, fromFailedStep: boolean) =>
      request<{ runId: string }>('POST', `${ws}/runs/${encodeURIComponent(runId)}/retry`, { fromFailedStep }),

    listApiKeys: () => request<ApiKeyInfo[] | Page<ApiKeyInfo>>('GET', `${ws}/api-keys`).then((r) => (Array.isArray(r) ? r : r.items)),
    createApiKey: (name?: string) => request<{ id: string; apiKey: string }>('POST', `${ws}/api-keys`, name ? { name } : {}),
    revokeApiKey: (keyId: string) => request<unknown>('DELETE', `${ws}/api-keys/${encodeURIComponent(keyId)}`),

    listCredentials: () => request<CredentialInfo[] | Page<CredentialInfo>>('GET', `${ws}/credentials`).then((r) => (Array.isArray(r) ? r : r.items)),
    createCredential: (input: CredentialInput) => request<{ id: string; name: string; type: string }>('POST', `${ws}/credentials`, input),
    deleteCredential: (id: string) => request<unknown>('DELETE', `${ws}/credentials/${encodeURIComponent(id)}`),

    listCollections: () => request<string[] | { items: Array<string | { name: string }> }>('GET', `${ws}/data`),
    listDocuments: (collection: string, filter?: string, cursor?: string) =>
      request<Page<DataDocument>>('GET', `${ws}/data/${encodeURIComponent(collection)}${qs({ filter, cursor, limit: 100 })}`),
    insertDocument: (collection: string, data: JsonValue) => request<{ id: string }>('POST', `${ws}/data/${encodeURIComponent(collection)}`, data),
    deleteDocument: (collection: string, docId: string) =>
      request<unknown>('DELETE', `${ws}/data/${encodeURIComponent(collection)}/${encodeURIComponent(docId)}`),
  };
}

export type Api = ReturnType<typeof createApi>;
