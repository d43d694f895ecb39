/**
 * Composition routes (docs/composition.md): decide an approval (API, run view, signed link) and post an event
 * that resumes the runs waiting for it. Every decision is a compare-and-set on what the run waits for, so it
 * counts once; anything else answers 409 OUT_ERR_NOT_WAITING.
 */
import { ApprovalState, approvalSignal, checkJsonSchema, eventSignal, verifyApprovalLink, type ApprovalDecision } from '@outrun/nodes';
import { ApprovalDecisionResult, ErrorCode, EventResult, Id, JsonValue, UserError, type Run } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { RunParams, WsParams, withErrors } from './common';

export const ApprovalBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** The form answer (checked against the node's form schema when approving). */
  answer: JsonValue.optional(),
  comment: z.string().max(2000).optional(),
});
export const LinkDecisionBody = ApprovalBody.omit({ decision: true });
export const ApprovalParams = RunParams.extend({ stepId: Id });
export const TokenParams = z.object({ token: z.string().min(10).max(2000) });
export const EventBody = z.strictObject({ name: z.string().min(1).max(200), key: z.string().min(1).max(500), payload: JsonValue.default(null) });

export const PendingApproval = z.object({
  workspaceId: z.string(),
  runId: z.string(),
  stepId: z.string(),
  decision: z.enum(['approve', 'reject']),
  title: z.string(),
  instructions: z.string().optional(),
  form: z.record(z.string(), z.unknown()).optional(),
  expiresAt: z.string(),
  waiting: z.boolean(),
});

const notWaiting = () => new UserError(ErrorCode.NOT_WAITING, 'This step is not waiting for a decision (already decided, timed out or finished).', 409);

/** The waiting approval step of a run and what it showed, or null when it does not wait (any more). */
function pendingApproval(run: Run, stepId: string): ApprovalState | null {
  const step = run.steps.find((s) => s.nodeId === stepId && s.nodeType === 'approval' && s.status === 'waiting');
  if (!step || run.waitingFor !== approvalSignal(stepId)) return null;
  const state = ApprovalState.safeParse((step.output as { state?: unknown } | undefined)?.state);
  return state.success ? state.data : null;
}

export function compositionRoutes(deps: ResolvedDeps): Route[] {
  const { runs } = deps.store;

  async function decide(ws: string, runId: string, stepId: string, body: z.infer<typeof ApprovalBody>, decidedBy: string, via: ApprovalDecision['via'], user?: ApprovalDecision['decidedByUser']) {
    const run = await runs.getRun(ws, runId);
    if (!run) throw notFound('Run');
    const pending = pendingApproval(run, stepId);
    if (!pending) throw notWaiting();
    if (pending.form !== undefined && body.decision === 'approve') {
      const issues = checkJsonSchema(pending.form, body.answer ?? {}, 'body.answer');
      if (issues.length > 0) throw new UserError(ErrorCode.APPROVAL_FORM, 'The answer does not match the approval form.', 400, { details: issues });
    }
    const decision: ApprovalDecision = { decision: body.decision, decidedBy, decidedAt: new Date(deps.clock.now()).toISOString(), via };
    if (body.answer !== undefined) decision.answer = body.answer;
    if (body.comment !== undefined) decision.comment = body.comment;
    if (user !== undefined) decision.decidedByUser = user;
    if (!(await deps.lifecycle.signal(ws, runId, approvalSignal(stepId), decision))) throw notWaiting();
    return { runId, stepId, decision: body.decision };
  }

  function claimsOf(token: string) {
    const key = deps.approvalLinkKey;
    const verified = key === undefined ? { ok: false as const, reason: 'approval links are not configured' } : verifyApprovalLink(key, token, deps.clock.now());
    if (!verified.ok) throw new UserError(ErrorCode.APPROVAL_LINK, `This approval link cannot be used: ${verified.reason}.`, 403);
    return verified.claims;
  }

  return [
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/runs/:runId/approvals/:stepId', summary: 'Approve or reject a waiting approval step (optional form answer); counts once',
      tag: 'runs', auth: 'workspace', permission: 'run:operate', params: ApprovalParams, body: ApprovalBody, extension: true,
      responses: withErrors({ 200: { description: 'Decided; the run resumes', schema: ApprovalDecisionResult } }, { 409: { description: 'Not waiting (already decided, timed out, finished)' } }),
      async handle({ params, body, apiKey, principal, req }) {
        // A signed-in person is recorded by id and email (the route requires run:operate of them or of the key).
        const user = principal?.type === 'user' ? { id: principal.user.id, email: principal.user.email } : undefined;
        const decidedBy = user ? `user:${user.email}` : apiKey ? `api-key:${apiKey.name ?? apiKey.prefix}` : 'api';
        const via = req.get('x-outrun-client') === 'web' ? 'run-view' : 'api';
        return { status: 200, body: await decide(params.ws, params.runId, params.stepId, body, decidedBy, via, user) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/approvals/:token', summary: 'What a signed approval link decides (no API key: the link is the credential)',
      tag: 'runs', auth: 'public', permission: 'public', params: TokenParams, extension: true,
      responses: withErrors({ 200: { description: 'The approval', schema: PendingApproval } }, { 403: { description: 'Bad or expired link' } }),
      async handle({ params }) {
        const claims = claimsOf(params.token);
        const run = await runs.getRun(claims.ws, claims.run);
        if (!run) throw notFound('Run');
        const pending = pendingApproval(run, claims.step);
        const step = run.steps.find((s) => s.nodeId === claims.step);
        const state = pending ?? ApprovalState.safeParse((step?.output as { state?: unknown } | undefined)?.state).data;
        const body = {
          workspaceId: claims.ws, runId: claims.run, stepId: claims.step, decision: claims.d, title: state?.title ?? 'Approval',
          ...(state?.instructions === undefined ? {} : { instructions: state.instructions }), ...(state?.form === undefined ? {} : { form: state.form }),
          expiresAt: new Date(claims.exp).toISOString(), waiting: pending !== null,
        };
        return { status: 200, body };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/approvals/:token', summary: 'Decide through a signed approval link (single use: a second use answers 409)',
      tag: 'runs', auth: 'public', permission: 'public', params: TokenParams, body: LinkDecisionBody, extension: true,
      responses: withErrors({ 200: { description: 'Decided; the run resumes', schema: ApprovalDecisionResult } }, { 403: { description: 'Bad or expired link' }, 409: { description: 'Already decided' } }),
      async handle({ params, body }) {
        const claims = claimsOf(params.token);
        return { status: 200, body: await decide(claims.ws, claims.run, claims.step, { ...body, decision: claims.d }, 'signed-link', 'link') };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/events', summary: 'Post an event {name, key, payload}: resumes the runs waiting for that name and key',
      tag: 'runs', auth: 'workspace', permission: 'run:operate', params: WsParams, body: EventBody, extension: true,
      responses: withErrors({ 200: { description: 'How many waiting runs it resumed', schema: EventResult } }),
      async handle({ params, body }) {
        const signal = eventSignal(body.name, body.key);
        const waiting = await runs.listRunsWaitingFor(params.ws, signal, 1000);
        const resumed: string[] = [];
        for (const runId of waiting) if (await deps.lifecycle.signal(params.ws, runId, signal, body.payload)) resumed.push(runId);
        return { status: 200, body: { resumed: resumed.length, runIds: resumed } };
      },
    }),
  ];
}
