/** Workflow CRUD and status changes. Every save is a new immutable version (the store keeps them). */
import { audit } from '../logic/accounts/audit';
import { auditCredentialUse } from '../logic/accounts/credential-use';
import { ErrorCode, PublishMessage, ValidationResult, UserError, Workflow, WorkflowInput, WorkflowStatus, WorkflowSummary, pageOf, type WorkflowInput as WorkflowInputT } from '@outrun/schemas';
import { validateWorkflow } from '@outrun/engine';
import { z } from 'zod';
import { conflict, notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { pageWithinBytes } from '../http/byte-budget';
import { assertCanCreateWorkflow, assertCanStore, definitionBytes, pruneVersions } from '../logic/quotas';
import { assertRunnable } from '../logic/validate';
import { assertNoSubworkflowCycle } from '../logic/subworkflow-cycle';
import { eventSourceProblems } from '../logic/event-source-problems';
import { assertTriggerIdsFree, triggerIdsInUse, withWebhookPaths } from '../logic/workflow-input';
import { ListQuery, WorkflowParams, WsParams, compactOptions, withErrors } from './common';

/** `view=summary` (default): no graphs; `view=full`: whole workflows (the page's byte budget still applies). */
export const ListView = z.enum(['summary', 'full']).default('summary');
export const WorkflowListQuery = ListQuery.extend({ status: WorkflowStatus.optional(), view: ListView });
export const UpdateWorkflowBody = WorkflowInput.extend({ expectedVersion: z.number().int().min(1).optional(), message: PublishMessage.optional() });
const invalid = { 422: { description: 'The workflow breaks a rule (every problem listed)' } };

export function workflowRoutes(deps: ResolvedDeps): Route[] {
  const { workflows } = deps.store;
  const base = '/api/workspaces/:ws/workflows';

  async function load(ws: string, id: string) {
    const wf = await workflows.getWorkflow(ws, id);
    if (!wf) throw notFound('Workflow');
    return wf;
  }

  async function save(ws: string, id: string | null, input: WorkflowInputT, expectedVersion?: number, message?: string) {
    assertTriggerIdsFree(input, await triggerIdsInUse(workflows, ws, input, id ?? undefined));
    const body = withWebhookPaths(ws, input);
    if (id === null) {
      await assertCanCreateWorkflow(deps, ws, body);
      return workflows.createWorkflow(ws, body);
    }
    await assertCanStore(deps, ws, definitionBytes(body));
    const updated = await workflows.updateWorkflow(ws, id, body, compactOptions({ expectedVersion, message }));
    if (!updated) throw notFound('Workflow');
    await pruneVersions(deps, ws, id);
    return updated;
  }

  async function setStatus(ws: string, id: string, status: WorkflowStatus) {
    const updated = await workflows.setWorkflowStatus(ws, id, status);
    if (!updated) throw notFound('Workflow');
    return updated;
  }

  return [
    defineRoute({
      method: 'post', path: `${base}/validate`, summary: 'Validate a workflow body without saving it (the problems activation would report)',
      tag: 'workflows', auth: 'workspace', permission: 'workflow:read', extension: true, params: WsParams, body: WorkflowInput,
      responses: withErrors({ 200: { description: 'Problems (empty when valid)', schema: ValidationResult } }),
      async handle({ body }) {
        const problems = [...validateWorkflow(body, deps.catalog).map((p) => ({ path: p.path, message: p.message, code: p.code })), ...eventSourceProblems(body, deps.connectors)];
        return { status: 200, body: { valid: problems.length === 0, problems } };
      },
    }),
    defineRoute({
      method: 'get', path: base, summary: 'List workflows (`?status=`, `?view=summary|full`); pages end early at the byte budget', tag: 'workflows', auth: 'workspace', permission: 'workflow:read',
      params: WsParams, query: WorkflowListQuery,
      responses: withErrors({ 200: { description: 'A page of workflow summaries (`view=full`: workflows)', schema: pageOf(WorkflowSummary) } }),
      async handle({ params, query }) {
        const maxBytes = deps.limits.forWorkspace(params.ws).pageMaxBytes;
        const summaries = (limit: number) => workflows.listWorkflowSummaries(params.ws, compactOptions({ limit, cursor: query.cursor, status: query.status }));
        if (query.view === 'summary') return { status: 200, body: await pageWithinBytes(summaries, query.limit, maxBytes) };
        // Full view: choose how many fit by their stored size first, then load only those, one at a time.
        const page = await pageWithinBytes(summaries, query.limit, maxBytes, (s) => s.sizeBytes);
        const items = [];
        for (const s of page.items) {
          const wf = await workflows.getWorkflow(params.ws, s.id);
          if (wf) items.push(wf);
        }
        return { status: 200, body: { items, nextCursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'post', path: base, summary: 'Create a workflow (draft, version 1)', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WsParams, body: WorkflowInput,
      responses: withErrors({ 201: { description: 'Created', schema: Workflow } }, { 409: { description: 'A trigger id is taken' } }),
      async handle({ params, body, req, principal }) {
        const created = await save(params.ws, null, body);
        await audit(deps, { req, principal }, params.ws, 'workflow.created', { target: { type: 'workflow', id: created.id }, afterVersion: created.version });
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: created.id, before: null, after: created, version: created.version });
        return { status: 201, body: created };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:id`, summary: 'The current version of a workflow', tag: 'workflows', auth: 'workspace', permission: 'workflow:read',
      params: WorkflowParams,
      responses: withErrors({ 200: { description: 'The workflow', schema: Workflow } }),
      async handle({ params }) {
        return { status: 200, body: await load(params.ws, params.id) };
      },
    }),
    defineRoute({
      method: 'put', path: `${base}/:id`, summary: 'Save and publish in one step → a new live version (`expectedVersion` → 409 on mismatch); the editor saves drafts instead (`PUT …/draft`, `POST …/publish`)',
      tag: 'workflows', auth: 'workspace', permission: 'workflow:write', params: WorkflowParams, body: UpdateWorkflowBody,
      responses: withErrors({ 200: { description: 'The new version', schema: Workflow } }, { 409: { description: 'Version conflict or archived' }, ...invalid }),
      async handle({ params, body, req, principal }) {
        const { expectedVersion, message, ...input } = body;
        const current = await load(params.ws, params.id);
        if (current.status === 'archived') throw conflict('The workflow is archived; restore is not possible, import it instead.');
        if (expectedVersion !== undefined && expectedVersion !== current.version) {
          throw new UserError(ErrorCode.VERSION_CONFLICT, `expectedVersion ${expectedVersion} but the current version is ${current.version}.`, 409);
        }
        // An active workflow keeps running on every save, so it must stay valid.
        if (current.status === 'active') assertRunnable(input, deps.catalog, deps.connectors);
        const saved = await save(params.ws, params.id, input, expectedVersion, message);
        if (current.status === 'active') await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.updated', { target: { type: 'workflow', id: params.id }, beforeVersion: current.version, afterVersion: saved.version });
        await auditCredentialUse(deps, { req, principal }, params.ws, { workflowId: params.id, before: current, after: saved, version: saved.version });
        return { status: 200, body: saved };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/:id`, summary: 'Archive a workflow (runs are kept)', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WorkflowParams,
      responses: withErrors({ 204: { description: 'Archived' } }),
      async handle({ params, req, principal }) {
        await setStatus(params.ws, params.id, 'archived');
        await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.archived', { target: { type: 'workflow', id: params.id } });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:id/activate`, summary: 'Validate the graph and triggers, then activate', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WorkflowParams,
      responses: withErrors({ 200: { description: 'Active', schema: Workflow } }, { 409: { description: 'Archived' }, ...invalid }),
      async handle({ params, req, principal }) {
        const current = await load(params.ws, params.id);
        if (current.status === 'archived') throw conflict('An archived workflow cannot be activated.');
        assertRunnable(current, deps.catalog, deps.connectors);
        assertTriggerIdsFree(current, await triggerIdsInUse(workflows, params.ws, current, current.id));
        await assertNoSubworkflowCycle(workflows, params.ws, current);
        if (current.status === 'active') return { status: 200, body: current };
        const activated = await setStatus(params.ws, params.id, 'active');
        // Return only once the listener serves the triggers: a caller may post to the webhook right away.
        await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.activated', { target: { type: 'workflow', id: params.id }, afterVersion: activated.version });
        return { status: 200, body: activated };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:id/pause`, summary: 'Pause an active workflow (its triggers stop)', tag: 'workflows', auth: 'workspace', permission: 'workflow:write',
      params: WorkflowParams,
      responses: withErrors({ 200: { description: 'Paused', schema: Workflow } }, { 409: { description: 'Not active' } }),
      async handle({ params, req, principal }) {
        const current = await load(params.ws, params.id);
        if (current.status === 'paused') return { status: 200, body: current };
        if (current.status !== 'active') throw conflict(`Only an active workflow can be paused (it is ${current.status}).`);
        const paused = await setStatus(params.ws, params.id, 'paused');
        await deps.syncTriggers();
        await audit(deps, { req, principal }, params.ws, 'workflow.paused', { target: { type: 'workflow', id: params.id } });
        return { status: 200, body: paused };
      },
    }),
  ];
}
