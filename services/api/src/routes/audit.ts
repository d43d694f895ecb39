/** The audit log of a workspace: filtered pages, and the whole filtered log as JSON lines. */
import { AuditEntry, AuditQuery, Id } from '@outrun/schemas';
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { defineRoute, type Route } from '../http/route';
import { WsParams, withErrors } from './common';

/** The export stops after this many entries (bounded time and memory per request); narrow with `from`/`to`. */
export const MAX_EXPORT_ENTRIES = 100_000;

export function auditRoutes(deps: ResolvedDeps): Route[] {
  const { accounts } = deps.store;
  const base = '/api/workspaces/:ws/audit';
  return [
    defineRoute({
      method: 'get', path: base, summary: 'Audit entries, newest first (`?actor=&action=&from=&to=`)', tag: 'audit', auth: 'workspace', permission: 'audit:read', extension: true,
      params: WsParams, query: AuditQuery,
      responses: withErrors({ 200: { description: 'A page', schema: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }) } }),
      async handle({ params, query }) {
        return { status: 200, body: await accounts.listAudit(params.ws, query) };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/export`, summary: 'The filtered audit log as JSON lines (newest first, at most 100,000 entries)', tag: 'audit', auth: 'workspace', permission: 'audit:read', extension: true,
      params: z.object({ ws: Id }), query: AuditQuery.omit({ cursor: true, limit: true }),
      responses: withErrors({ 200: { description: 'One JSON entry per line', contentType: 'application/x-ndjson' } }),
      async handle({ params, query, res }) {
        res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="audit-${params.ws}.jsonl"`);
        let cursor: string | undefined;
        for (let sent = 0; sent < MAX_EXPORT_ENTRIES; ) {
          const page = await accounts.listAudit(params.ws, { ...query, limit: 500, ...(cursor ? { cursor } : {}) });
          const lines = page.items.slice(0, MAX_EXPORT_ENTRIES - sent).map((e) => JSON.stringify(e) + '\n');
          if (lines.length > 0 && !res.write(lines.join(''))) await new Promise((resolve) => res.once('drain', resolve));
          sent += lines.length;
          if (page.nextCursor === null || res.destroyed) break;
          cursor = page.nextCursor;
        }
        res.end();
      },
    }),
  ];
}
