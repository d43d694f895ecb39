/** Trigger detail (webhook URL, next fire times, statistics) and webhook secret rotation. */
import { audit } from '../logic/accounts/audit';
import { ErrorCode, Id, RotatedSecret, TriggerDetail, UserError } from '@outrun/schemas';
import type { Request } from 'express';
import { z } from 'zod';
import { CREDENTIALS_CHANNEL } from '@outrun/queue';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { rotateWebhookSecret } from '../logic/rotate-secret';
import { nextFireTimes } from '../logic/schedule';
import { webhookPath } from '../logic/workflow-input';
import { withErrors } from './common';

const TriggerParams = z.object({ ws: Id, id: Id, triggerId: Id });
const RotateQuery = z.strictObject({ revokePrevious: z.enum(['true', 'false']).optional() });

/** Absolute base URL: configured, or derived from the request (behind a proxy set `publicBaseUrl`). */
function baseUrl(deps: ResolvedDeps, req: Request): string {
  return (deps.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
}

export function triggerRoutes(deps: ResolvedDeps): Route[] {
  const { workflows, triggers } = deps.store;
  const base = '/api/workspaces/:ws/workflows/:id/triggers/:triggerId';

  async function load(ws: string, id: string, triggerId: string) {
    const workflow = await workflows.getWorkflow(ws, id);
    const trigger = workflow?.triggers.find((t) => t.id === triggerId);
    if (!workflow || !trigger) throw notFound('Trigger');
    return { workflow, trigger };
  }

  /** The trigger as the editor shows it: from the unpublished draft when there is one (fire times of the cron being edited). */
  async function loadEdited(ws: string, id: string, triggerId: string) {
    const workflow = await workflows.getWorkflow(ws, id);
    if (!workflow) throw notFound('Trigger');
    const draft = await workflows.getWorkflowDraft(ws, id);
    const trigger = draft?.triggers.find((t) => t.id === triggerId) ?? workflow.triggers.find((t) => t.id === triggerId);
    if (!trigger) throw notFound('Trigger');
    return { workflow, trigger };
  }

  return [
    defineRoute({
      method: 'get', path: base, summary: 'Trigger detail: webhook URL, next 5 fire times (schedules), statistics', tag: 'triggers', auth: 'workspace', permission: 'workflow:read',
      params: TriggerParams,
      responses: withErrors({ 200: { description: 'Detail', schema: TriggerDetail } }),
      async handle({ params, req }) {
        const { workflow, trigger } = await loadEdited(params.ws, params.id, params.triggerId);
        const path = trigger.type === 'webhook' ? webhookPath(params.ws, trigger.id) : null;
        const next = trigger.type === 'schedule' ? nextFireTimes(trigger.config, new Date(deps.clock.now()), 5) : null;
        const stats = await triggers.getTriggerStats(params.ws, trigger.id);
        return {
          status: 200,
          body: { workflowId: workflow.id, trigger, webhookPath: path, webhookUrl: path === null ? null : `${baseUrl(deps, req)}${path}`, nextFireTimes: next, stats },
        };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/rotate-secret`, summary: 'New webhook signing secret (shown once; the previous one stays valid until the next rotation, or stops now with `?revokePrevious=true`)',
      tag: 'triggers', auth: 'workspace', permission: 'workflow:write', params: TriggerParams, query: RotateQuery,
      responses: withErrors({ 200: { description: 'The new secret', schema: RotatedSecret } }, { 409: { description: 'Not a webhook trigger with a secret-based auth, its credential is not a webhook_secret, or the trigger is only in the unpublished draft' } }),
      async handle({ params, query, log, req, principal }) {
        const { workflow, trigger } = await load(params.ws, params.id, params.triggerId).catch(async (e: unknown) => {
          // Only in the unpublished draft: say so rather than "not found" (its secret is created once it is live).
          const draft = await workflows.getWorkflowDraft(params.ws, params.id);
          if (draft?.triggers.some((t) => t.id === params.triggerId)) {
            throw new UserError(ErrorCode.CONFLICT, 'This trigger is only in your unpublished draft: publish the workflow first, then generate its secret.', 409, {
              details: [{ path: 'params.triggerId', message: 'not published yet' }],
            });
          }
          throw e;
        });
        if (trigger.type !== 'webhook') throw notFound('Webhook trigger');
        const revokePrevious = query.revokePrevious === 'true';
        const rotated = await rotateWebhookSecret(deps.store, workflow, trigger, { revokePrevious });
        // Listeners cache decrypted secrets briefly: tell them now (best effort; the cache expires within 10 s anyway).
        await deps.events.publish(CREDENTIALS_CHANNEL, { workspaceId: params.ws, credentialId: rotated.credentialId }).catch((err: unknown) => log.warn({ err }, 'credential change not announced'));
        log.info({ workflowId: workflow.id, triggerId: trigger.id, credentialId: rotated.credentialId, revokePrevious }, 'webhook secret rotated');
        await audit(deps, { req, principal }, params.ws, 'trigger.secret_rotated', { target: { type: 'trigger', id: `${workflow.id}/${trigger.id}` }, details: { credentialId: rotated.credentialId, revokePrevious } });
        return { status: 200, body: rotated, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
