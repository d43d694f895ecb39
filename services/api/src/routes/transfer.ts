/** Portable export/import: `{schemaVersion, exportedAt, workflow}`; export → import → export is exact. */
import { Workflow, WorkflowExport, WORKFLOW_EXPORT_SCHEMA_VERSION } from '@outrun/schemas';
import { notFound } from '../http/errors';
import { audit } from '../logic/accounts/audit';
import { auditCredentialUse } from '../logic/accounts/credential-use';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { assertCanCreateWorkflow } from '../logic/quotas';
import { portableBody, renameTriggers, triggerIdsInUse, withWebhookPaths } from '../logic/workflow-input';
import { WorkflowParams, WsParams, withErrors } from './common';

export function transferRoutes(deps: ResolvedDeps): Route[] {
  const { workflows } = deps.store;
  return [
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/workflows/:id/export', summary: 'Portable JSON of the current version', tag: 'workflows', auth: 'workspace', permission: 'workflow:read',
      params: WorkflowParams,
      responses: withErrors({ 200: { description: 'The export', schema: WorkflowExport } }),
      async handle({ params }) {
        const wf = await workflows.getWorkflow(params.ws, params.id);
        if (!wf) throw notFound('Workflow');
        const body: WorkflowExport = { schemaVersion: WORKFLOW_EXPORT_SCHEMA_VERSION, exportedAt: new Date(deps.clock.now()).toISOString(), workflow: portableBody(wf) };
        return { status: 200, body };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/workflows/import', summary: 'Import an export as a new draft (trigger ids taken in this workspace are renamed)',
      tag: 'workflows', auth: 'workspace', permission: 'workflow:write', params: WsParams, body: WorkflowExport,
      responses: withErrors({ 201: { description: 'The new draft', schema: Workflow } }),
      async handle({ params, body, req, principal }) {
        const portable = portableBody(body.workflow);
        const input = withWebhookPaths(params.ws, renameTriggers(portable, await triggerIdsInUse(workflows, params.ws, portable)));
        await assertCanCreateWorkflow(deps, params.ws, input);
        const created = await workflows.createWorkflow(params.ws, input);
        // An import is a creation like any other: the log says who, and which credentials it put to work.
        await audit(deps, { req, principal }, params.ws, 'workflow.created', { target: { type: 'workflow', id: created.id }, afterVersion: created.version, details: { via: 'import' } });
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: created.id, before: null, after: created, version: created.version });
        return { status: 201, body: created };
      },
    }),
  ];
}
