import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, type WebhookAuth } from '@outrun/schemas';

/** Signed timestamps older or newer than this are rejected (Standard Webhooks and Stripe default). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

export type AuthFailureCode = typeof ErrorCode.WEBHOOK_AUTH | typeof ErrorCode.WEBHOOK_SIGNATURE | typeof ErrorCode.WEBHOOK_TIMESTAMP;

export type AuthResult = { ok: true } | { ok: false; code: AuthFailureCode; message: string };

/** What the verifier needs of a request: lower-case header lookup and the exact raw body bytes. */
export interface AuthRequest {
  header(name: string): string | undefined;
  rawBody: Buffer;
  nowMs: number;
}

const OK: AuthResult = { ok: true };
const fail = (code: AuthFailureCode, message: string): AuthResult => ({ ok: false, code, message });

/** Constant-time equality of two strings of any length (compares SHA-256 digests, so lengths do not leak). */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** Constant-time equality of two byte strings; false for different lengths (signatures have a fixed length). */
function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The HMAC key of a Standard Webhooks secret: the base64 after `whsec_`. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

function checkTimestamp(seconds: string, nowMs: number): AuthResult | null {
  if (!/^\d{1,12}$/.test(seconds)) return fail(ErrorCode.WEBHOOK_TIMESTAMP, 'The signature timestamp is not a number of seconds.');
  if (Math.abs(nowMs - Number(seconds) * 1000) > TIMESTAMP_TOLERANCE_MS) {
    return fail(ErrorCode.WEBHOOK_TIMESTAMP, 'The signature timestamp is outside the 5-minute tolerance.');
  }
  return null;
}

/** Standard Webhooks: `v1,<base64 HMAC-SHA256(id.timestamp.body)>`, several space-separated signatures. */
function verifyStandardWebhooks(req: AuthRequest, secrets: readonly string[]): AuthResult {
  const id = req.header('webhook-id');
  const timestamp = req.header('webhook-timestamp');
  const signatures = req.header('webhook-signature');
  if (!id || !timestamp || !signatures) return fail(ErrorCode.WEBHOOK_SIGNATURE, 'Missing webhook-id, webhook-timestamp or webhook-signature.');
  const stale = checkTimestamp(timestamp, req.nowMs);
  if (stale) return stale;
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestamp}.`).update(req.rawBody).digest();
    if (given.some((g) => equalBytes(g, expected))) return OK;
  }
  return fail(ErrorCode.WEBHOOK_SIGNATURE, 'No webhook-signature matches.');
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>` keyed with the secret string. */
function verifyGithub(req: AuthRequest, secrets: readonly string[]): AuthResult {
  const header = req.header('x-hub-signature-256');
  if (!header?.startsWith('sha256=')) return fail(ErrorCode.WEBHOOK_SIGNATURE, 'Missing or malformed X-Hub-Signature-256.');
  const given = Buffer.from(header.slice(7), 'hex');
  for (const secret of secrets) {
    if (equalBytes(given, createHmac('sha256', secret).update(req.rawBody).digest())) return OK;
  }
  return fail(ErrorCode.WEBHOOK_SIGNATURE, 'X-Hub-Signature-256 does not match.');
}

/** Stripe: `Stripe-Signature: t=<s>,v1=<hex>[,v1=…]` over `t.body`, keyed with the secret string as-is. */
function verifyStripe(req: AuthRequest, secrets: readonly string[]): AuthResult {
  const header = req.header('stripe-signature');
  if (!header) return fail(ErrorCode.WEBHOOK_SIGNATURE, 'Missing Stripe-Signature.');
  let timestamp: string | undefined;
  const given: Buffer[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') given.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || given.length === 0) return fail(ErrorCode.WEBHOOK_SIGNATURE, 'Stripe-Signature lacks t= or v1=.');
  const stale = checkTimestamp(timestamp, req.nowMs);
  if (stale) return stale;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(req.rawBody).digest();
    if (given.some((g) => equalBytes(g, expected))) return OK;
  }
  return fail(ErrorCode.WEBHOOK_SIGNATURE, 'No Stripe-Signature v1 matches.');
}

/** Slack: `X-Slack-Signature: v0=<hex>` over `v0:<X-Slack-Request-Timestamp>:<body>`, keyed with the signing secret. */
function verifySlack(req: AuthRequest, secrets: readonly string[]): AuthResult {
  const header = req.header('x-slack-signature');
  const timestamp = req.header('x-slack-request-timestamp');
  if (!header?.startsWith('v0=') || !timestamp) return fail(ErrorCode.WEBHOOK_SIGNATURE, 'Missing X-Slack-Signature or X-Slack-Request-Timestamp.');
  const stale = checkTimestamp(timestamp, req.nowMs);
  if (stale) return stale;
  const given = Buffer.from(header.slice(3), 'hex');
  for (const secret of secrets) {
    if (equalBytes(given, createHmac('sha256', secret).update(`v0:${timestamp}:`).update(req.rawBody).digest())) return OK;
  }
  return fail(ErrorCode.WEBHOOK_SIGNATURE, 'X-Slack-Signature does not match.');
}

function verifyHeader(req: AuthRequest, headerName: string, secrets: readonly string[]): AuthResult {
  const value = req.header(headerName.toLowerCase());
  if (value === undefined) return fail(ErrorCode.WEBHOOK_AUTH, `Missing ${headerName} header.`);
  // Check every secret (no early exit) so timing does not reveal which one matched.
  let match = false;
  for (const secret of secrets) match = safeEqual(value, secret) || match;
  return match ? OK : fail(ErrorCode.WEBHOOK_AUTH, `Wrong ${headerName} header.`);
}

function verifyBasic(req: AuthRequest, username: string, secrets: readonly string[]): AuthResult {
  const header = req.header('authorization');
  if (!header || !/^basic /i.test(header)) return fail(ErrorCode.WEBHOOK_AUTH, 'Missing basic Authorization.');
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return fail(ErrorCode.WEBHOOK_AUTH, 'Malformed basic Authorization.');
  const userOk = safeEqual(decoded.slice(0, colon), username);
  let passOk = false;
  for (const secret of secrets) passOk = safeEqual(decoded.slice(colon + 1), secret) || passOk;
  return userOk && passOk ? OK : fail(ErrorCode.WEBHOOK_AUTH, 'Wrong basic credentials.');
}

/**
 * Verifies one request against a trigger's auth config. `secrets` come from the trigger's credential, newest
 * first (rotation keeps the previous one valid for a while); every comparison is constant-time.
 */
export function verifyWebhookAuth(auth: WebhookAuth, secrets: readonly string[], req: AuthRequest): AuthResult {
  if (auth.type === 'none') return OK;
  if (secrets.length === 0) {
    return fail(auth.type === 'header' || auth.type === 'basic' ? ErrorCode.WEBHOOK_AUTH : ErrorCode.WEBHOOK_SIGNATURE, 'The trigger has no secret configured.');
  }
  switch (auth.type) {
    case 'header':
      return verifyHeader(req, auth.headerName, secrets);
    case 'basic':
      return verifyBasic(req, auth.username, secrets);
    case 'hmac':
      return verifyStandardWebhooks(req, secrets);
    case 'github':
      return verifyGithub(req, secrets);
    case 'stripe':
      return verifyStripe(req, secrets);
    case 'slack':
      return verifySlack(req, secrets);
  }
}

/** Signs like a Standard Webhooks sender (tests, the benchmark and the editor's curl example). */
export function signStandardWebhook(secret: string, id: string, timestampSeconds: number, body: string | Buffer): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}
