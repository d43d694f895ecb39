/**
 * `approval`: parks the run until someone approves or rejects (run view, API, or a signed single-use link), or
 * until its deadline. The decision (with the decider and the optional form answer) becomes the output; the
 * `approved`, `rejected` or `timeout` handle is taken. The API validates the form answer against `form` (saved
 * in the waiting step's state, so the decision is checked against what the run actually showed).
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import type { NodeResult } from '@outrun/engine';
import { defineNode, IN } from '../define-node';
import { approvalSignal, getCompositionServices, MAX_WAIT_MS } from './composition-services';
import { schemaProblem } from './json-schema-check';

export const ApprovalParams = z.strictObject({
  title: z.string().min(1).max(500).default('Approval needed').describe('What is asked (shown in the run view and sent with the links)'),
  instructions: z.string().max(5000).optional().describe('More context for the approver'),
  form: z
    .record(z.string(), z.unknown())
    .optional()
    .superRefine((s, issue) => {
      const problem = s === undefined ? undefined : schemaProblem(s);
      if (problem !== undefined) issue.addIssue({ code: 'custom', message: problem });
    })
    .describe('JSON Schema of an answer the approver fills in (its answer becomes output.answer)'),
  timeoutMs: z.number().int().min(1000).max(MAX_WAIT_MS).default(7 * 24 * 3600 * 1000).describe('Deadline: after this many ms the timeout branch is taken'),
  notifyUrl: z.url().optional().describe('POSTed {runId, stepId, title, approveUrl, rejectUrl, expiresAt} when the wait starts (e.g. a chat webhook)'),
});
export type ApprovalParams = z.infer<typeof ApprovalParams>;

/** What the waiting step keeps: the deadline, and what the approver is shown (the form is checked against it). */
export const ApprovalState = z.object({ deadline: z.number(), title: z.string(), instructions: z.string().optional(), form: z.record(z.string(), z.unknown()).optional() });
export type ApprovalState = z.infer<typeof ApprovalState>;

/** A decision, as the API delivers it (the signal payload). */
export const ApprovalDecision = z.object({
  decision: z.enum(['approve', 'reject']),
  answer: z.json().optional(),
  comment: z.string().optional(),
  /** `user:<email>` (a signed-in person), `api-key:<name>`, `api` or `signed-link`. */
  decidedBy: z.string(),
  /** The person who decided, when decided with a session (the run view). */
  decidedByUser: z.object({ id: z.string(), email: z.string() }).optional(),
  decidedAt: z.string(),
  via: z.enum(['api', 'link', 'run-view']),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const approvalNode = defineNode({
  type: 'approval',
  label: 'Approval',
  description: 'Waits for a person to approve or reject (run view, API or signed link), with an optional form and a deadline.',
  category: 'flow',
  icon: 'user-check',
  params: ApprovalParams,
  inputs: IN,
  outputs: [{ id: 'approved', label: 'Approved' }, { id: 'rejected', label: 'Rejected' }, { id: 'timeout', label: 'Timed out' }],
  async execute(ctx): Promise<NodeResult> {
    const signal = approvalSignal(ctx.nodeId);
    if (ctx.resumeSignal !== undefined) {
      const decision = ApprovalDecision.parse(ctx.resumeSignal.payload);
      return { output: decision as JsonValue, handle: decision.decision === 'approve' ? 'approved' : 'rejected' };
    }
    const saved = ApprovalState.safeParse(ctx.resumeState);
    if (saved.success) {
      if (ctx.clock.now() >= saved.data.deadline) return { output: { decision: 'timeout', deadline: new Date(saved.data.deadline).toISOString() }, handle: 'timeout' };
      return { output: null, wait: { signal, deadline: saved.data.deadline, state: saved.data as JsonValue } };
    }
    const { title, instructions, form, timeoutMs, notifyUrl } = ctx.params;
    const deadline = ctx.clock.now() + timeoutMs;
    const state: ApprovalState = { deadline, title, ...(instructions === undefined ? {} : { instructions }), ...(form === undefined ? {} : { form }) };
    if (notifyUrl !== undefined) await notify(ctx, notifyUrl, title, deadline);
    return { output: null, wait: { signal, deadline, state: state as JsonValue } };
  },
});

/** Sends the signed links to `notifyUrl` through the runner's SSRF-guarded client (the links never reach the run record). */
async function notify(ctx: Parameters<typeof approvalNode.execute>[0], url: string, title: string, deadline: number): Promise<void> {
  const links = getCompositionServices(ctx.services).approvalLinks?.({ runId: ctx.runId, stepId: ctx.nodeId, expiresAt: deadline });
  const http = ctx.services.http;
  if (!http) return;
  const body = JSON.stringify({ runId: ctx.runId, stepId: ctx.nodeId, workflowId: ctx.workflowId, title, expiresAt: new Date(deadline).toISOString(), ...(links ?? {}) });
  const res = await http.request({ method: 'POST', url, headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey }, body, signal: ctx.signal });
  if (res.status >= 300) throw new Error(`approval notification to ${new URL(url).host} answered ${res.status}`);
}
