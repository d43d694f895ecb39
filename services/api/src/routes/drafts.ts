/**
 * Draft and publish: the editor autosaves a draft (never seen by triggers or runs); publishing turns it into the
 * next immutable version, the live one. `PUT …/workflows/:id` still saves and publishes in one step (older clients).
 */
import { audit } from '../logic/accounts/audit';
import { auditCredentialUse, credentialIdsOf } from '../logic/accounts/credential-use';
import { DraftResponse, ErrorCode, PublishMessage, UserError, Workflow, WorkflowDraft, WorkflowInput } from '@outrun/schemas';
import { z } from 'zod';
import { conflict, notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { assertCanStore, definitionBytes, pruneVersions } from '../logic/quotas';
import { assertRunnable } from '../logic/validate';
import { assertTriggerIdsFree, triggerIdsInUse, withWebhookPaths } from '../logic/workflow-input';
import { WorkflowParams, withErrors } from './common';

export const SaveDraftBody = WorkflowInput.extend({
  /** The live version this draft was edited from (default: the current one). */
  baseVersion: z.number().int().min(1).optional(),
});
export const PublishBody = z.strictObject({
  message: PublishMessage.optional(),
  /** The live version the caller saw; 409 VERSION_CONFLICT when the live workflow has moved on. Default: the draft's `baseVersion`. */
  expectedVersion: z.number().int().min(1).optional(),
});

export function draftRoutes(deps: ResolvedDeps): Route[] {
  const { workflows } = deps.store;
  const base = '/api/workspaces/:ws/workflows/:id';

  async function editable(ws: string, id: string) {
    const wf = await workflows.getWorkflow(ws, id);
    if (!wf) throw notFound('Workflow');
    if (wf.status === 'archived') throw conflict('The workflow is archived; import it to edit it again.');
    return wf;
  }

  return [
    defineRoute({
      method: 'get', path: `${base}/draft`, summary: 'The unpublished draft (`draft: null` when the editor has nothing unpublished)', tag: 'workflows', auth: 'workspace', permission: 'workflow:read',
      params: WorkflowParams,
      responses: withErrors({ 200: { description: 'The draft or null', schema: DraftResponse } }),
      async handle({ params }) {
        if (!(await workflows.getWorkflow(params.ws, params.id))) throw notFound('Workflow');
        return { status: 200, body: { draft: await workflows.getWorkflowDraft(params.ws, params.id) } };
      },
    }),
    defineRoute({
      method: 'put', path: `${base}/draft`, summary: 'Save the draft (autosave): no new version, triggers and runs keep the live version', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WorkflowParams, body: SaveDraftBody,
      responses: withErrors({ 200: { description: 'The saved draft', schema: WorkflowDraft } }, { 409: { description: 'Archived' } }),
      async handle({ params, body, req, principal }) {
        const { baseVersion, ...input } = body;
        const current = await editable(params.ws, params.id);
        await assertCanStore(deps, params.ws, definitionBytes(input));
        // The draft this one replaces (read only when the new one names a credential: autosave stays one write).
        const previous = credentialIdsOf(input).size > 0 ? await workflows.getWorkflowDraft(params.ws, params.id) : null;
        const saved = await workflows.saveWorkflowDraft(params.ws, params.id, input, baseVersion ?? current.version);
        if (!saved) throw notFound('Workflow');
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: params.id, before: previous ?? current, after: saved, version: saved.baseVersion, draft: true });
        return { status: 200, body: saved };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/draft`, summary: 'Discard the draft (the live version stays)', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WorkflowParams,
      responses: withErrors({ 204: { description: 'Discarded (or there was none)' } }),
      async handle({ params }) {
        if (!(await workflows.getWorkflow(params.ws, params.id))) throw notFound('Workflow');
        await workflows.deleteWorkflowDraft(params.ws, params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/publish`, summary: 'Publish the draft: it becomes the next version, the live one (an active workflow must stay valid)',
      tag: 'workflows', auth: 'workspace', permission: 'workflow:write', params: WorkflowParams, body: PublishBody,
      responses: withErrors(
        { 200: { description: 'The new live version', schema: Workflow } },
        { 409: { description: 'No draft, archived, or the live version moved on (VERSION_CONFLICT)' }, 422: { description: 'The draft breaks a rule (every problem listed)' } },
      ),
      async handle({ params, body, req, principal }) {
        const current = await editable(params.ws, params.id);
        const draft = await workflows.getWorkflowDraft(params.ws, params.id);
        if (!draft) throw conflict('There is no draft to publish.');
        const expected = body.expectedVersion ?? draft.baseVersion;
        if (expected !== current.version) {
          throw new UserError(ErrorCode.VERSION_CONFLICT, `The draft was edited from version ${expected} but the live version is ${current.version}; reload and publish again.`, 409);
        }
        const { workflowId: _w, workspaceId: _ws, baseVersion: _b, updatedAt: _u, ...input } = draft;
        if (current.status === 'active') assertRunnable(input, deps.catalog, deps.connectors);
        assertTriggerIdsFree(input, await triggerIdsInUse(workflows, params.ws, input, current.id));
        const withPaths = withWebhookPaths(params.ws, input);
        await assertCanStore(deps, params.ws, definitionBytes(withPaths));
        const options = body.message ? { expectedVersion: current.version, message: body.message } : { expectedVersion: current.version };
        const published = await workflows.updateWorkflow(params.ws, params.id, withPaths, options);
        if (!published) throw notFound('Workflow');
        await workflows.deleteWorkflowDraft(params.ws, params.id);
        await pruneVersions(deps, params.ws, params.id);
        if (current.status === 'active') await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.published', { target: { type: 'workflow', id: params.id }, beforeVersion: current.version, afterVersion: published.version });
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: params.id, before: current, after: published, version: published.version });
        return { status: 200, body: published };
      },
    }),
  ];
}
