/** Runs: manual start, list with filters, detail, cancel, retry. */
import { AcceptedRun, ErrorCode, Id, JsonValue, Run, RunStatus, TriggerType, UserError, pageOf, type Workflow } from '@outrun/schemas';
import { runIdempotencyKey } from '@outrun/queue';
import { z } from 'zod';
import { conflict, notFound } from '../http/errors';
import { pageWithinBytes } from '../http/byte-budget';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { ListQuery, RunParams, WorkflowParams, WsParams, compactOptions, withErrors } from './common';

export const ManualRunBody = z.strictObject({
  payload: JsonValue.default({}),
  /** Which trigger's nodes start the run (extension). @default the first manual trigger, else the first trigger */
  triggerId: Id.optional(),
});
export const RetryBody = z.strictObject({ fromFailedStep: z.boolean().default(false) });
export const RunListQuery = ListQuery.extend({
  workflowId: Id.optional(),
  status: RunStatus.optional(),
  triggerType: TriggerType.optional(),
  /** Sub-workflow runs started by this run. */
  parentRunId: Id.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const RunSummary = Run.omit({ steps: true });


function pickTrigger(workflow: Workflow, triggerId: string | undefined): string | undefined {
  if (triggerId !== undefined) {
    if (!workflow.triggers.some((t) => t.id === triggerId)) {
      throw new UserError(ErrorCode.VALIDATION, 'Unknown trigger.', 400, { details: [{ path: 'body.triggerId', message: 'not a trigger of this workflow' }] });
    }
    return triggerId;
  }
  return (workflow.triggers.find((t) => t.type === 'manual') ?? workflow.triggers[0])?.id;
}

export function runRoutes(deps: ResolvedDeps): Route[] {
  const { workflows, runs } = deps.store;
  // Absolute when the public URL is known (as the listener answers webhooks), else a path.
  const prefix = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const statusUrl = (ws: string, runId: string) => `${prefix}/api/workspaces/${encodeURIComponent(ws)}/runs/${encodeURIComponent(runId)}`;
  const base = '/api/workspaces/:ws/runs';

  async function load(ws: string, runId: string) {
    const run = await runs.getRun(ws, runId);
    if (!run) throw notFound('Run');
    return run;
  }

  return [
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/workflows/:id/runs', summary: 'Run now (pins the current version); `Idempotency-Key` header honoured',
      tag: 'runs', auth: 'workspace', permission: 'run:operate', params: WorkflowParams, body: ManualRunBody,
      responses: withErrors({ 202: { description: 'Accepted (queued)', schema: AcceptedRun } }, { 409: { description: 'Archived' }, 503: { description: 'Queue down; nothing accepted' } }),
      async handle({ params, body, req }) {
        const workflow = await workflows.getWorkflow(params.ws, params.id);
        if (!workflow) throw notFound('Workflow');
        if (workflow.status === 'archived') throw conflict('An archived workflow cannot run.');
        const triggerId = pickTrigger(workflow, body.triggerId);
        const idempotencyKey = req.get('idempotency-key');
        const { run } = await deps.lifecycle.accept(params.ws, {
          workflowId: workflow.id,
          workflowVersion: workflow.version,
          triggeredBy: { type: 'manual', source: 'api', payload: body.payload, ...(triggerId === undefined ? {} : { triggerId }) },
          // Namespaced per workflow: a key can neither answer another workflow's run nor pre-claim a `sched:` occurrence.
          ...(idempotencyKey === undefined ? {} : { idempotencyKey: runIdempotencyKey('manual', workflow.id, idempotencyKey) }),
        });
        return { status: 202, body: { runId: run.id, statusUrl: statusUrl(params.ws, run.id) } };
      },
    }),
    defineRoute({
      method: 'get', path: base, summary: 'List runs (`?workflowId=&status=&triggerType=&parentRunId=&from=&to=`), newest first', tag: 'runs', auth: 'workspace', permission: 'run:read',
      params: WsParams, query: RunListQuery,
      responses: withErrors({ 200: { description: 'A page of run summaries', schema: pageOf(RunSummary) } }),
      async handle({ params, query }) {
        const maxBytes = deps.limits.forWorkspace(params.ws).pageMaxBytes;
        return { status: 200, body: await pageWithinBytes((limit) => runs.listRuns(params.ws, compactOptions({ ...query, limit, maxBytes })), query.limit, maxBytes) };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:runId`, summary: 'A run with its steps', tag: 'runs', auth: 'workspace', permission: 'run:read',
      params: RunParams,
      responses: withErrors({ 200: { description: 'The run', schema: Run } }),
      async handle({ params }) {
        return { status: 200, body: await load(params.ws, params.runId) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:runId/cancel`, summary: 'Cancel a queued or running run', tag: 'runs', auth: 'workspace', permission: 'run:operate',
      params: RunParams,
      responses: withErrors({ 200: { description: 'The cancelled run', schema: Run } }, { 409: { description: 'Already finished' } }),
      async handle({ params }) {
        // The saved state decides the answer; the event and removing the run's jobs are best effort.
        const run = await deps.lifecycle.cancel(params.ws, params.runId);
        return { status: 200, body: run };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:runId/retry`, summary: 'Retry as a new run (`retryOf`); `fromFailedStep` reuses completed steps',
      tag: 'runs', auth: 'workspace', permission: 'run:operate', params: RunParams, body: RetryBody,
      responses: withErrors({ 202: { description: 'Accepted', schema: AcceptedRun } }, { 409: { description: 'Not finished / not failed' }, 503: { description: 'Queue down' } }),
      async handle({ params, body }) {
        const original = await load(params.ws, params.runId);
        const run = await deps.lifecycle.retry(original, body.fromFailedStep);
        return { status: 202, body: { runId: run.id, statusUrl: statusUrl(params.ws, run.id) } };
      },
    }),
  ];
}
