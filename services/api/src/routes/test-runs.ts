/** The editor's test loop (docs/editor.md): test runs, "execute this step", one-shot test URLs. */
import { AcceptedRun, Id, JsonValue, TestListening, TestListenState, UserError, ErrorCode } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { deliveryPayload, startTestRun, TestListeners } from '../logic/test-runs';
import { WorkflowParams, withErrors } from './common';

export const TestRunBody = z.strictObject({
  /** The trigger payload. @default `fromRunId`'s (or the last run's) payload */
  payload: JsonValue.optional(),
  triggerId: Id.optional(),
  /** Reuse this run's payload and, with `step`, its step outputs. @default the last run of the workflow */
  fromRunId: Id.optional(),
  /** Execute this step only (its ancestors reuse recorded or pinned outputs). */
  step: Id.optional(),
});
const TestListenBody = z.strictObject({ triggerId: Id.optional() });
const TokenParams = z.object({ token: z.string().min(10).max(64) });

export function testRunRoutes(deps: ResolvedDeps): Route[] {
  const listeners = new TestListeners(deps.clock);
  const prefix = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const statusUrl = (ws: string, runId: string) => `${prefix}/api/workspaces/${encodeURIComponent(ws)}/runs/${encodeURIComponent(runId)}`;
  const base = '/api/workspaces/:ws/workflows/:id';
  return [
    defineRoute({
      method: 'post', path: `${base}/test-runs`, summary: 'Test run of the draft (not production: out of the workflow stats); `step` executes one step', tag: 'runs',
      auth: 'workspace', permission: 'workflow:write', params: WorkflowParams, body: TestRunBody, extension: true,
      responses: withErrors({ 202: { description: 'Accepted (queued)', schema: AcceptedRun } }, { 409: { description: 'Archived' }, 503: { description: 'Queue down; nothing accepted' } }),
      async handle({ params, body }) {
        const run = await startTestRun(deps, params.ws, params.id, body);
        return { status: 202, body: { runId: run.id, statusUrl: statusUrl(params.ws, run.id) } };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/test-events`, summary: 'Listen for a test event: a one-shot test URL (10 min) whose next delivery starts a test run', tag: 'runs',
      auth: 'workspace', permission: 'workflow:write', params: WorkflowParams, body: TestListenBody, extension: true,
      responses: withErrors({ 201: { description: 'Listening', schema: TestListening } }),
      async handle({ params, body }) {
        const workflow = await deps.store.workflows.getWorkflow(params.ws, params.id);
        if (!workflow) throw notFound('Workflow');
        const { token, expiresAt } = listeners.open(params.ws, params.id, body.triggerId);
        return { status: 201, body: { token, url: `${prefix}/api/test-events/${token}`, expiresAt } };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/test-events/:token`, summary: 'Has the test URL received its delivery? (`runId` once it has)', tag: 'runs',
      auth: 'workspace', permission: 'workflow:write', params: WorkflowParams.extend(TokenParams.shape), extension: true,
      responses: withErrors({ 200: { description: 'Listener state', schema: TestListenState } }),
      async handle({ params }) {
        const l = listeners.get(params.token, params.ws, params.id);
        if (!l) throw notFound('Test listener');
        const expiresAt = new Date(l.expiresAt).toISOString();
        return { status: 200, body: l.runId ? { status: 'received', runId: l.runId, expiresAt } : { status: 'listening', expiresAt } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/test-events/:token', summary: 'A test delivery (JSON body): starts one test run of the listening workflow', tag: 'runs',
      auth: 'public', permission: 'public', params: TokenParams, body: JsonValue, extension: true,
      responses: { 202: { description: 'Accepted (a test run)', schema: z.object({ runId: z.string() }) }, 404: { description: 'Unknown, expired or already used test URL' } },
      async handle({ params, req }) {
        const l = listeners.get(params.token);
        if (!l || !listeners.claim(l)) throw new UserError(ErrorCode.NOT_FOUND, 'This test URL is unknown, expired or already used; click "Listen for a test event" again.', 404);
        try {
          const run = await startTestRun(deps, l.ws, l.workflowId, { payload: deliveryPayload(req), triggerId: l.triggerId }, 'test-event');
          l.runId = run.id;
          return { status: 202, body: { runId: run.id } };
        } catch (e) {
          delete l.runId; // not used up: the caller may send again
          throw e;
        }
      },
    }),
  ];
}
