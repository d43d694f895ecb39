/**
 * One call per audited action: `audit(deps, ctx, 'workflow.updated', { target, beforeVersion, afterVersion })`.
 * Who (session user or API key) and from which IP come from the request; nothing secret is ever passed in.
 * Best effort: a failed append is logged, never fails the action that already happened.
 */
import type { AuditActor, AuditInput } from '@outrun/schemas';
import type { Request } from 'express';
import type { Logger } from '@outrun/config';
import type { Store } from '@outrun/store';
import type { Principal } from '../../http/route';

export type AuditFacts = Omit<AuditInput, 'workspaceId' | 'actor' | 'ip'>;

export function actorOf(principal: Principal | null): AuditActor {
  if (principal === null) return { type: 'anonymous', id: 'anonymous' };
  if (principal.type === 'api_key') return { type: 'api_key', id: principal.key.id, label: principal.key.name ?? principal.key.prefix };
  return { type: 'user', id: principal.user.id, label: principal.user.email };
}

export async function audit(
  deps: { store: Pick<Store, 'accounts'>; logger: Logger },
  ctx: { req: Request; principal: Principal | null; actor?: AuditActor },
  workspaceId: string,
  action: string,
  facts: Omit<AuditFacts, 'action'> = {},
): Promise<void> {
  const ip = ctx.req.ip;
  try {
    await deps.store.accounts.appendAudit({ workspaceId, actor: ctx.actor ?? actorOf(ctx.principal), action, ...(ip ? { ip } : {}), ...facts });
  } catch (err) {
    deps.logger.warn({ err: String(err), action, workspaceId }, 'audit append failed');
  }
}
