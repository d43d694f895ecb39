/**
 * Per-workspace quota checks of the gateway. Each refusal names its quota: a stable code
 * (`OUT_ERR_QUOTA_*`), the limit and the usage in `details`, so a client knows what to delete or what to ask for.
 */
import type { WorkspaceLimits } from '@outrun/config';
import { ErrorCode, UserError } from '@outrun/schemas';
import type { ResolvedDeps } from '../deps';

type QuotaName = 'workflows' | 'apiKeys' | 'storedBytes';

const CODES: Record<QuotaName, { code: ErrorCode; status: number; what: string }> = {
  workflows: { code: ErrorCode.QUOTA_WORKFLOWS, status: 409, what: 'workflows' },
  apiKeys: { code: ErrorCode.QUOTA_API_KEYS, status: 409, what: 'API keys' },
  storedBytes: { code: ErrorCode.QUOTA_STORED_BYTES, status: 413, what: 'stored bytes' },
};

/** The refusal of one quota: 409 for counts (delete something first), 413 for bytes. */
export function quotaExceeded(quota: QuotaName, limit: number, used: number, hint: string): UserError {
  const { code, status, what } = CODES[quota];
  return new UserError(code, `The workspace quota of ${limit} ${what} is reached (${used} used). ${hint}`, status, {
    details: [{ path: `quota.${quota}`, message: `limit ${limit}, used ${used}` }],
  });
}

const limitsOf = (deps: ResolvedDeps, workspaceId: string): WorkspaceLimits => deps.limits.forWorkspace(workspaceId);

/** Bytes a workflow body adds when saved as a new version. */
export const definitionBytes = (body: unknown): number => Buffer.byteLength(JSON.stringify(body));

/**
 * Before a new workflow: the count of workflows that are not archived (archiving frees a slot; an archived
 * workflow's versions still count as stored bytes) and the stored bytes.
 * @throws UserError QUOTA_WORKFLOWS (409) or QUOTA_STORED_BYTES (413).
 */
export async function assertCanCreateWorkflow(deps: ResolvedDeps, workspaceId: string, body: unknown): Promise<void> {
  const limits = limitsOf(deps, workspaceId);
  const usage = await deps.store.housekeeping.usage(workspaceId);
  const count = usage.workflows.draft + usage.workflows.active + usage.workflows.paused;
  if (count >= limits.workflows) throw quotaExceeded('workflows', limits.workflows, count, 'Archive workflows you no longer use, or ask the operator for a higher quota.');
  assertBytes(limits, usage.storedBytes, definitionBytes(body));
  deps.storedBytes.added(workspaceId, definitionBytes(body));
}

/**
 * Before any write that stores `addBytes` more (a new version, a data document); the bytes are counted at once
 * (a refused or failed write over-counts until the next measurement, never under-counts).
 * @throws QUOTA_STORED_BYTES (413).
 */
export async function assertCanStore(deps: ResolvedDeps, workspaceId: string, addBytes: number): Promise<void> {
  assertBytes(limitsOf(deps, workspaceId), await deps.storedBytes.bytes(workspaceId), addBytes);
  deps.storedBytes.added(workspaceId, addBytes);
}

function assertBytes(limits: WorkspaceLimits, used: number, add: number): void {
  if (used + add > limits.storedBytes) {
    throw quotaExceeded('storedBytes', limits.storedBytes, used, `This write needs ${add} more bytes: delete data documents or workflows, or save smaller workflows.`);
  }
}

/** Before a new API key. @throws QUOTA_API_KEYS (409). */
export async function assertCanCreateApiKey(deps: ResolvedDeps, workspaceId: string): Promise<void> {
  const limit = limitsOf(deps, workspaceId).apiKeys;
  const used = (await deps.store.housekeeping.usage(workspaceId)).apiKeys;
  if (used >= limit) throw quotaExceeded('apiKeys', limit, used, 'Revoke a key you no longer use.');
}

/** After a save: versions beyond the kept history go (never the current one, nor one a live run uses). */
export async function pruneVersions(deps: ResolvedDeps, workspaceId: string, workflowId: string): Promise<void> {
  if ((await deps.store.housekeeping.pruneWorkflowVersions(workspaceId, workflowId, limitsOf(deps, workspaceId).versions)) > 0) deps.storedBytes.invalidate(workspaceId);
}
