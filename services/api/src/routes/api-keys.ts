/** API keys of a workspace: create (secret shown once), list (no secrets), revoke. */
import { ApiKeyInfo, CreatedApiKey, Id, Role, Timestamp } from '@outrun/schemas';
import { audit } from '../logic/accounts/audit';
import { forbidden } from '../http/authenticate';
import { canManageRole } from '../http/permissions';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { assertCanCreateApiKey } from '../logic/quotas';
import { WsParams, withErrors } from './common';

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** What the key may do; never above the creator's own role. @default admin */
  role: Role.default('admin'),
  /** The key stops working at this instant (must be in the future). */
  expiresAt: Timestamp.refine((t) => Date.parse(t) > Date.now(), 'must be in the future').optional(),
});

export function apiKeyRoutes(deps: ResolvedDeps): Route[] {
  const { workspaces } = deps.store;
  const base = '/api/workspaces/:ws/api-keys';
  return [
    defineRoute({
      method: 'post',
      path: base,
      summary: 'Create an API key (the secret is shown once)',
      tag: 'api-keys',
      auth: 'workspace', permission: 'api_key:manage',
      params: WsParams,
      body: CreateApiKeyBody,
      responses: withErrors({ 201: { description: 'Created', schema: CreatedApiKey } }, { 409: { description: 'API key quota reached (`OUT_ERR_QUOTA_API_KEYS`)' } }),
      async handle({ params, body, req, principal }) {
        if (principal?.role && !canManageRole(principal.role, body.role)) throw forbidden(`api_key:manage (${body.role})`);
        await assertCanCreateApiKey(deps, params.ws);
        const created = await workspaces.createApiKey(params.ws, { role: body.role, ...(body.name === undefined ? {} : { name: body.name }), ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt).toISOString() } : {}) });
        await audit(deps, { req, principal }, params.ws, 'api_key.created', { target: { type: 'api_key', id: created.info.id }, details: { role: body.role, prefix: created.info.prefix } });
        return { status: 201, body: { ...created.info, apiKey: created.apiKey } };
      },
    }),
    defineRoute({
      method: 'get',
      path: base,
      summary: 'List API keys (without secrets)',
      tag: 'api-keys',
      auth: 'workspace', permission: 'api_key:manage',
      params: WsParams,
      responses: withErrors({ 200: { description: 'Keys', schema: z.object({ items: z.array(ApiKeyInfo), nextCursor: z.null() }) } }),
      async handle({ params }) {
        return { status: 200, body: { items: await workspaces.listApiKeys(params.ws), nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${base}/:keyId`,
      summary: 'Revoke an API key',
      tag: 'api-keys',
      auth: 'workspace', permission: 'api_key:manage',
      params: z.object({ ws: Id, keyId: Id }),
      responses: withErrors({ 204: { description: 'Revoked' } }),
      async handle({ params, req, principal }) {
        if (!(await workspaces.revokeApiKey(params.ws, params.keyId))) throw notFound('API key');
        await audit(deps, { req, principal }, params.ws, 'api_key.revoked', { target: { type: 'api_key', id: params.keyId } });
        return { status: 204 };
      },
    }),
  ];
}
