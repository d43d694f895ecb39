/** Installed connectors (the editor's catalog view) and trying a connector credential before saving it. */
import { describeConnector, testCredential } from '@outrun/connector-kit';
import { ConnectorSummary } from '@outrun/schemas';
import { z } from 'zod';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { WsParams, withErrors } from './common';

const CredentialTestInput = z.strictObject({
  /** `connector.key`, e.g. `postgres.connection`. */
  type: z.string().min(3).max(100),
  data: z.record(z.string(), z.unknown()),
});
const CredentialTestResult = z.object({ ok: z.boolean(), message: z.string().optional() });

export function connectorRoutes(deps: ResolvedDeps): Route[] {
  const connectors = deps.connectors ?? [];
  let described: ConnectorSummary[] | undefined;
  return [
    defineRoute({
      method: 'get', path: '/api/connectors', summary: 'Installed connectors: versions, credential types, actions (node types) and event sources', tag: 'nodes', auth: 'public', permission: 'public', extension: true,
      responses: { 200: { description: 'The connectors', schema: z.array(ConnectorSummary) } },
      async handle() {
        described ??= connectors.map(describeConnector);
        return { status: 200, body: described, headers: { 'Cache-Control': 'public, max-age=60' } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/connectors/credentials/test', summary: "Try a connector credential against its service (the connector's own test; 10 s at most)", tag: 'credentials', auth: 'workspace', permission: 'credential:manage', extension: true,
      params: WsParams, body: CredentialTestInput,
      responses: withErrors({ 200: { description: 'The outcome (`ok: false` carries the reason, secrets redacted)', schema: CredentialTestResult } }),
      async handle({ body, log }) {
        const result = await testCredential(connectors, body.type, body.data, { timeoutMs: 10_000, ...(deps.networkGuard ? { networkGuard: deps.networkGuard } : {}) });
        log.info({ type: body.type, ok: result.ok }, 'connector credential tested');
        return { status: 200, body: result };
      },
    }),
  ];
}
