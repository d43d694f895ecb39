/**
 * "Credential used by edit": when a save makes a workflow start using a credential it did not use before, the audit
 * log says who put that secret to work, in which workflow and version (or draft). Never the secret: the entry
 * names the credential by id. Workflows reference credentials by id under `credentialId` keys (node params, MCP
 * servers, connector actions, webhook trigger auth), so the walk looks for that key anywhere in nodes and triggers.
 */
import type { WorkflowInput } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import type { Logger } from '@outrun/config';
import type { Request } from 'express';
import type { Principal } from '../../http/route';
import { audit } from './audit';

/** A hostile definition cannot make the walk (or the audit log) unbounded. */
const MAX_DEPTH = 12;
const MAX_IDS = 100;

type Definition = Pick<WorkflowInput, 'nodes' | 'triggers'>;

/** Ids under a `credentialId` key anywhere in the nodes and triggers (at most MAX_IDS). */
export function credentialIdsOf(definition: Definition | null | undefined): Set<string> {
  const ids = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || ids.size >= MAX_IDS || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'credentialId' && typeof inner === 'string' && inner !== '') ids.add(inner);
      else walk(inner, depth + 1);
    }
  };
  if (definition) walk([definition.nodes, definition.triggers], 0);
  return ids;
}

export interface CredentialUseChange {
  workflowId: string;
  /** What the workflow used before this save (null: a new workflow). */
  before: Definition | null;
  after: Definition;
  /** The version this save made live, or the draft's base version. */
  version: number;
  draft?: boolean;
}

/** Appends `credential.used` for each existing credential of the workspace that `after` uses and `before` did not. */
export async function auditCredentialUse(
  deps: { store: Pick<Store, 'accounts' | 'credentials'>; logger: Logger },
  ctx: { req: Request; principal: Principal | null },
  workspaceId: string,
  change: CredentialUseChange,
): Promise<void> {
  const previous = credentialIdsOf(change.before);
  const added = [...credentialIdsOf(change.after)].filter((id) => !previous.has(id));
  if (added.length === 0) return;
  let existing: Set<string>;
  try {
    existing = new Set((await deps.store.credentials.list(workspaceId)).map((c) => c.id));
  } catch (err) {
    deps.logger.warn({ err: String(err), workspaceId }, 'credential use not audited');
    return;
  }
  for (const id of added.filter((x) => existing.has(x))) {
    await audit(deps, ctx, workspaceId, 'credential.used', {
      target: { type: 'credential', id },
      ...(change.draft ? {} : { afterVersion: change.version }),
      details: { workflowId: change.workflowId, ...(change.draft ? { draft: true, baseVersion: change.version } : { version: change.version }) },
    });
  }
}
