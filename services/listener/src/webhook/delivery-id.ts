/**
 * The sender's delivery id of a webhook, the basis of its run idempotency key (a retried delivery starts nothing).
 *
 * In signed modes the id comes only from material the signature covers, so whoever does not hold the secret can
 * neither replay a captured delivery under fresh ids nor pre-claim a future delivery's id:
 * - `hmac` (Standard Webhooks): `webhook-id`, which is part of the signed content;
 * - `stripe`: the event `id` in the signed body (the body digest when it has none);
 * - `github`: the digest of the signed body (`X-GitHub-Delivery` is not signed; GitHub's redeliveries resend the
 *   same body, so they still dedupe).
 * Unsigned modes (`none`, `header`, `basic`) take `Idempotency-Key`, then `webhook-id`: the caller is trusted as far
 * as the trigger's auth goes, and its keys only ever collide with its own trigger's keys.
 */
import { createHash } from 'node:crypto';
import type { JsonValue, WebhookAuth } from '@outrun/schemas';

const bodyDigest = (rawBody: Buffer): string => `body-sha256:${createHash('sha256').update(rawBody).digest('hex')}`;

/** The delivery id, or undefined when the request carries none (then every request is a new run). */
export function deliveryId(auth: WebhookAuth, header: (name: string) => string | undefined, rawBody: Buffer, body: JsonValue): string | undefined {
  switch (auth.type) {
    case 'hmac':
      return header('webhook-id');
    case 'github':
    case 'slack':
      // Slack retries carry the same body (X-Slack-Retry-Num differs): the body digest deduplicates them.
      return bodyDigest(rawBody);
    case 'stripe':
      return body !== null && typeof body === 'object' && !Array.isArray(body) && typeof body.id === 'string' && body.id !== '' ? body.id : bodyDigest(rawBody);
    case 'none':
    case 'header':
    case 'basic':
      return header('idempotency-key') ?? header('webhook-id');
  }
}
