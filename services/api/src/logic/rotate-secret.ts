/**
 * Webhook signing-secret rotation. Secrets live in the trigger's `webhook_secret` credential as
 * `{secrets: string[]}`, newest first; the previous secret is kept for a grace period (max 2), so
 * senders can switch over without failed deliveries, unless `revokePrevious` asks for it to stop working now
 * (a leaked secret). Only a `webhook_secret` credential is ever overwritten: a trigger naming any other credential
 * (an API token, an OpenAI key) is refused rather than destroying it. The new secret is returned once, never logged.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, UserError, type Trigger, type Workflow } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { bodyOf, withWebhookPaths } from './workflow-input';

/** Secrets kept per trigger: the new one and the previous one. */
export const MAX_SECRETS = 2;
const ROTATABLE = new Set(['hmac', 'github', 'stripe', 'header', 'slack']);

/** `whsec_` + base64 of 24 random bytes (Standard Webhooks format). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export interface RotatedSecret {
  secret: string;
  credentialId: string;
  /** The workflow version after rotation (bumped when the credential had to be created and linked). */
  workflowVersion: number;
  /** How many secrets are now accepted (1 or 2). */
  activeSecrets: number;
}

type WebhookTrigger = Extract<Trigger, { type: 'webhook' }>;

export interface RotateOptions {
  /** Drop every previous secret now. @default false (the previous one stays valid until the next rotation) */
  revokePrevious?: boolean;
}

export async function rotateWebhookSecret(store: Store, workflow: Workflow, trigger: WebhookTrigger, options: RotateOptions = {}): Promise<RotatedSecret> {
  const auth = trigger.config.auth;
  if (!ROTATABLE.has(auth.type) || auth.type === 'none' || auth.type === 'basic') {
    throw new UserError(ErrorCode.CONFLICT, `Webhook auth "${auth.type}" has no signing secret; set auth to hmac, github, stripe or header first.`, 409);
  }
  const ws = workflow.workspaceId;
  const secret = newWebhookSecret();
  const info = auth.credentialId === undefined ? null : await store.credentials.getInfo(ws, auth.credentialId);
  if (info !== null && info.type !== 'webhook_secret') {
    throw new UserError(ErrorCode.CONFLICT, `The trigger's credential ${info.id} is a ${info.type} credential, not a webhook_secret: rotation will not overwrite it. Point auth.credentialId at a webhook_secret credential (or remove it to have one created).`, 409, {
      details: [{ path: 'config.auth.credentialId', message: `credential type is ${info.type}` }],
    });
  }
  const existing = info === null ? null : await store.credentials.getSecret(ws, info.id);
  if (existing !== null && auth.credentialId !== undefined) {
    const previous = Array.isArray(existing.secrets) ? existing.secrets.filter((s): s is string => typeof s === 'string') : [];
    const secrets = options.revokePrevious ? [secret] : [secret, ...previous].slice(0, MAX_SECRETS);
    await store.credentials.updateSecret(ws, auth.credentialId, { secrets });
    return { secret, credentialId: auth.credentialId, workflowVersion: workflow.version, activeSecrets: secrets.length };
  }
  const credential = await store.credentials.create(ws, {
    name: `webhook secret: ${workflow.name} / ${trigger.name ?? trigger.id}`.slice(0, 200),
    type: 'webhook_secret',
    data: { secrets: [secret] },
  });
  const triggers = workflow.triggers.map((t) =>
    t.id === trigger.id && t.type === 'webhook' ? { ...t, config: { ...t.config, auth: { ...auth, credentialId: credential.id } } } : t,
  );
  const updated = await store.workflows.updateWorkflow(ws, workflow.id, withWebhookPaths(ws, { ...bodyOf(workflow), triggers }), {
    expectedVersion: workflow.version,
  });
  if (!updated) throw new UserError(ErrorCode.NOT_FOUND, 'Workflow not found.', 404);
  return { secret, credentialId: credential.id, workflowVersion: updated.version, activeSecrets: 1 };
}
