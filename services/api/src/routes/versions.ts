/** Version history of a workflow: list, get one, restore (a new version equal to an old one). */
import { audit } from '../logic/accounts/audit';
import { auditCredentialUse } from '../logic/accounts/credential-use';
import { Id, Workflow, WorkflowVersion, WorkflowVersionSummary, pageOf } from '@outrun/schemas';
import { z } from 'zod';
import { conflict, notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { pageWithinBytes } from '../http/byte-budget';
import { assertCanStore, definitionBytes, pruneVersions } from '../logic/quotas';
import { assertRunnable } from '../logic/validate';
import { ListView } from './workflows';
import { assertTriggerIdsFree, triggerIdsInUse, withWebhookPaths } from '../logic/workflow-input';
import { ListQuery, WorkflowParams, compactOptions, withErrors } from './common';

const VersionParams = z.object({ ws: Id, id: Id, v: z.coerce.number().int().min(1) });
const VersionListQuery = ListQuery.extend({ view: ListView });

export function versionRoutes(deps: ResolvedDeps): Route[] {
  const { workflows } = deps.store;
  const base = '/api/workspaces/:ws/workflows/:id/versions';

  async function version(ws: string, id: string, v: number) {
    const found = await workflows.getWorkflowVersion(ws, id, v);
    if (!found) throw notFound('Workflow version');
    return found;
  }

  return [
    defineRoute({
      method: 'get', path: base, summary: 'Version history, newest first: metadata (`?view=full`: whole versions); pages end early at the byte budget', tag: 'versions', auth: 'workspace', permission: 'workflow:read',
      params: WorkflowParams, query: VersionListQuery,
      responses: withErrors({ 200: { description: 'A page of version summaries (`view=full`: versions)', schema: pageOf(WorkflowVersionSummary) } }),
      async handle({ params, query }) {
        if (!(await workflows.getWorkflow(params.ws, params.id))) throw notFound('Workflow');
        const maxBytes = deps.limits.forWorkspace(params.ws).pageMaxBytes;
        const summaries = (limit: number) => workflows.listWorkflowVersionSummaries(params.ws, params.id, compactOptions({ limit, cursor: query.cursor }));
        if (query.view === 'summary') return { status: 200, body: await pageWithinBytes(summaries, query.limit, maxBytes) };
        const page = await pageWithinBytes(summaries, query.limit, maxBytes, (s) => s.sizeBytes);
        const items = [];
        for (const s of page.items) {
          const v = await workflows.getWorkflowVersion(params.ws, params.id, s.version);
          if (v) items.push(v);
        }
        return { status: 200, body: { items, nextCursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:v`, summary: 'One saved version', tag: 'versions', auth: 'workspace', permission: 'workflow:read',
      params: VersionParams,
      responses: withErrors({ 200: { description: 'The version', schema: WorkflowVersion } }),
      async handle({ params }) {
        return { status: 200, body: await version(params.ws, params.id, params.v) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:v/restore`, summary: 'Make a new version equal to version `v`', tag: 'versions', auth: 'workspace', permission: 'workflow:write',
      params: VersionParams,
      responses: withErrors({ 200: { description: 'The new current version', schema: Workflow } }, { 409: { description: 'Archived' }, 422: { description: 'Restoring would leave an active workflow invalid' } }),
      async handle({ params, req, principal }) {
        const current = await workflows.getWorkflow(params.ws, params.id);
        if (!current) throw notFound('Workflow');
        if (current.status === 'archived') throw conflict('The workflow is archived.');
        const old = await version(params.ws, params.id, params.v);
        const input = { ...withoutUndefined({ description: current.description, tags: current.tags }), name: old.name, nodes: old.nodes, edges: old.edges, triggers: old.triggers, settings: old.settings };
        if (current.status === 'active') assertRunnable(input, deps.catalog, deps.connectors);
        assertTriggerIdsFree(input, await triggerIdsInUse(workflows, params.ws, input, current.id));
        const body = withWebhookPaths(params.ws, input);
        await assertCanStore(deps, params.ws, definitionBytes(body));
        const updated = await workflows.updateWorkflow(params.ws, params.id, body);
        if (!updated) throw notFound('Workflow');
        await pruneVersions(deps, params.ws, params.id);
        if (current.status === 'active') await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.version_restored', { target: { type: 'workflow', id: params.id }, beforeVersion: current.version, afterVersion: updated.version, details: { restored: params.v } });
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: params.id, before: current, after: updated, version: updated.version });
        return { status: 200, body: updated };
      },
    }),
  ];
}

function withoutUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return compactOptions(o) as Partial<T>;
}
