/** Credentials: `data` is encrypted at rest by the store and never returned or logged here. */
import { audit } from '../logic/accounts/audit';
import { CredentialHostsUpdate, CredentialInfo, CredentialInput, Id } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { WsParams, withErrors } from './common';

export function credentialRoutes(deps: ResolvedDeps): Route[] {
  const { credentials } = deps.store;
  const base = '/api/workspaces/:ws/credentials';
  return [
    defineRoute({
      method: 'post', path: base, summary: 'Create a credential (`data` is write-only; `allowedHosts` required for HTTP types)', tag: 'credentials', auth: 'workspace', permission: 'credential:manage',
      params: WsParams, body: CredentialInput,
      responses: withErrors({ 201: { description: 'Created (metadata only)', schema: CredentialInfo } }),
      async handle({ params, body, log, req, principal }) {
        const info = await credentials.create(params.ws, body);
        await audit(deps, { req, principal }, params.ws, 'credential.created', { target: { type: 'credential', id: info.id }, details: { name: info.name, type: info.type } });
        log.info({ credentialId: info.id, type: info.type, allowedHosts: info.allowedHosts }, 'credential created');
        return { status: 201, body: info };
      },
    }),
    defineRoute({
      method: 'get', path: base, summary: 'List credentials (metadata only)', tag: 'credentials', auth: 'workspace', permission: 'credential:read',
      params: WsParams,
      responses: withErrors({ 200: { description: 'Credentials', schema: z.object({ items: z.array(CredentialInfo), nextCursor: z.null() }) } }),
      async handle({ params }) {
        return { status: 200, body: { items: await credentials.list(params.ws), nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/:credentialId`, summary: 'Replace where a credential may be sent (`allowedHosts`); the secret is unchanged', tag: 'credentials', auth: 'workspace', permission: 'credential:manage',
      params: z.object({ ws: Id, credentialId: Id }), body: CredentialHostsUpdate, extension: true,
      responses: withErrors({ 200: { description: 'The credential (metadata only)', schema: CredentialInfo } }),
      async handle({ params, body, log, req, principal }) {
        const info = await credentials.setAllowedHosts(params.ws, params.credentialId, body.allowedHosts);
        if (!info) throw notFound('Credential');
        await audit(deps, { req, principal }, params.ws, 'credential.updated', { target: { type: 'credential', id: info.id }, details: { allowedHosts: info.allowedHosts.join(' ') } });
        log.info({ credentialId: info.id, allowedHosts: info.allowedHosts }, 'credential hosts replaced');
        return { status: 200, body: info };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/:credentialId`, summary: 'Delete a credential', tag: 'credentials', auth: 'workspace', permission: 'credential:manage',
      params: z.object({ ws: Id, credentialId: Id }),
      responses: withErrors({ 204: { description: 'Deleted' } }),
      async handle({ params, req, principal }) {
        if (!(await credentials.delete(params.ws, params.credentialId))) throw notFound('Credential');
        await audit(deps, { req, principal }, params.ws, 'credential.deleted', { target: { type: 'credential', id: params.credentialId } });
        return { status: 204 };
      },
    }),
  ];
}
