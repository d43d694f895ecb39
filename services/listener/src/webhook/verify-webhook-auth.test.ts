import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookAuth } from '@outrun/schemas';
import { signStandardWebhook, verifyWebhookAuth } from './verify-webhook-auth';

/** Known-answer vectors (shared/test-vectors.md). */
const SW = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const GH = { secret: "It's a Secret to Everybody", body: 'Hello, World!', signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
const SW_NOW = Number(SW.timestamp) * 1000;

function request(headers: Record<string, string>, body: string, nowMs: number) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { header: (n: string) => lower[n], rawBody: Buffer.from(body), nowMs };
}
const hmac: WebhookAuth = { type: 'hmac', credentialId: 'c1' };
const swHeaders = (over: Partial<Record<string, string>> = {}) => ({ 'webhook-id': SW.id, 'webhook-timestamp': SW.timestamp, 'webhook-signature': SW.signature, ...over }) as Record<string, string>;

describe('Standard Webhooks (hmac)', () => {
  it('accepts the published vector and reproduces its signature', () => {
    expect(verifyWebhookAuth(hmac, [SW.secret], request(swHeaders(), SW.body, SW_NOW))).toEqual({ ok: true });
    expect(signStandardWebhook(SW.secret, SW.id, Number(SW.timestamp), SW.body)).toBe(SW.signature);
  });

  it.each([
    ['id', swHeaders({ 'webhook-id': 'msg_other' }), SW.body, [SW.secret]],
    ['timestamp', swHeaders({ 'webhook-timestamp': String(Number(SW.timestamp) + 1) }), SW.body, [SW.secret]],
    ['body', swHeaders(), '{"test": 2432232315}', [SW.secret]],
    ['secret', swHeaders(), SW.body, ['whsec_' + Buffer.from('another key entirely').toString('base64')]],
  ])('rejects a changed %s', (_what, headers, body, secrets) => {
    const result = verifyWebhookAuth(hmac, secrets, request(headers, body, SW_NOW));
    expect(result).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
  });

  it('enforces the 5-minute tolerance with the injected clock', () => {
    expect(verifyWebhookAuth(hmac, [SW.secret], request(swHeaders(), SW.body, SW_NOW + 299_000))).toEqual({ ok: true });
    expect(verifyWebhookAuth(hmac, [SW.secret], request(swHeaders(), SW.body, SW_NOW + 301_000))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_TIMESTAMP' });
    expect(verifyWebhookAuth(hmac, [SW.secret], request(swHeaders(), SW.body, SW_NOW - 301_000))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_TIMESTAMP' });
    expect(verifyWebhookAuth(hmac, [SW.secret], request(swHeaders(), SW.body, Date.now()))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_TIMESTAMP' });
  });

  it('accepts any of several signatures and any of several secrets (rotation)', () => {
    const headers = swHeaders({ 'webhook-signature': `v1,bm90IGEgc2lnbmF0dXJl ${SW.signature} v2,whatever` });
    expect(verifyWebhookAuth(hmac, [SW.secret], request(headers, SW.body, SW_NOW))).toEqual({ ok: true });
    const newest = 'whsec_' + Buffer.from('new secret bytes 0123456789abcdef').toString('base64');
    expect(verifyWebhookAuth(hmac, [newest, SW.secret], request(swHeaders(), SW.body, SW_NOW))).toEqual({ ok: true });
  });

  it('rejects missing headers', () => {
    expect(verifyWebhookAuth(hmac, [SW.secret], request({ 'webhook-id': SW.id }, SW.body, SW_NOW))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(hmac, [], request(swHeaders(), SW.body, SW_NOW))).toMatchObject({ ok: false });
  });
});

describe('GitHub', () => {
  const github: WebhookAuth = { type: 'github', credentialId: 'c1' };
  it('accepts the published vector and rejects changes', () => {
    expect(verifyWebhookAuth(github, [GH.secret], request({ 'x-hub-signature-256': GH.signature }, GH.body, 0))).toEqual({ ok: true });
    expect(verifyWebhookAuth(github, [GH.secret], request({ 'x-hub-signature-256': GH.signature }, 'Hello, World?', 0))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(github, ['wrong'], request({ 'x-hub-signature-256': GH.signature }, GH.body, 0))).toMatchObject({ ok: false });
    expect(verifyWebhookAuth(github, [GH.secret], request({}, GH.body, 0))).toMatchObject({ ok: false });
  });
});

describe('Stripe', () => {
  const stripe: WebhookAuth = { type: 'stripe', credentialId: 'c1' };
  const secret = 'whsec_test_stripe_secret';
  const body = '{"id":"evt_1","type":"payment_intent.succeeded"}';
  const t = 1_700_000_000;
  const sig = (s: string, ts = t, b = body) => createHmac('sha256', s).update(`${ts}.${b}`).digest('hex');
  it('accepts any matching v1 within tolerance, keyed with the secret string as-is', () => {
    const header = `t=${t},v1=${sig('old')},v1=${sig(secret)},v0=abc`;
    expect(verifyWebhookAuth(stripe, [secret], request({ 'stripe-signature': header }, body, t * 1000 + 1000))).toEqual({ ok: true });
  });
  it('rejects a stale timestamp, a changed body and a missing v1', () => {
    expect(verifyWebhookAuth(stripe, [secret], request({ 'stripe-signature': `t=${t},v1=${sig(secret)}` }, body, t * 1000 + 301_000))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_TIMESTAMP' });
    expect(verifyWebhookAuth(stripe, [secret], request({ 'stripe-signature': `t=${t},v1=${sig(secret)}` }, body + ' ', t * 1000))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(stripe, [secret], request({ 'stripe-signature': `t=${t}` }, body, t * 1000))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
  });
});

describe('header and basic', () => {
  it('header: any configured token, case-insensitive header name', () => {
    const auth: WebhookAuth = { type: 'header', headerName: 'X-Token', credentialId: 'c1' };
    expect(verifyWebhookAuth(auth, ['new', 'old'], request({ 'x-token': 'old' }, '', 0))).toEqual({ ok: true });
    expect(verifyWebhookAuth(auth, ['new', 'old'], request({ 'x-token': 'nope' }, '', 0))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_AUTH' });
    expect(verifyWebhookAuth(auth, ['new'], request({}, '', 0))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_AUTH' });
  });
  it('basic: username and one of the passwords', () => {
    const auth: WebhookAuth = { type: 'basic', username: 'hook', credentialId: 'c1' };
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect(verifyWebhookAuth(auth, ['pw'], request(basic('hook', 'pw'), '', 0))).toEqual({ ok: true });
    expect(verifyWebhookAuth(auth, ['pw'], request(basic('other', 'pw'), '', 0))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_AUTH' });
    expect(verifyWebhookAuth(auth, ['pw'], request(basic('hook', 'px'), '', 0))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_AUTH' });
    expect(verifyWebhookAuth(auth, ['pw'], request({ authorization: 'Bearer x' }, '', 0))).toMatchObject({ code: 'OUT_ERR_WEBHOOK_AUTH' });
  });
});

/** Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack). */
const SLACK = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('Slack signing secret', () => {
  const slack: WebhookAuth = { type: 'slack', credentialId: 'c1' };
  const now = Number(SLACK.timestamp) * 1000;
  const headers = (over: Record<string, string> = {}) => ({ 'x-slack-signature': SLACK.signature, 'x-slack-request-timestamp': SLACK.timestamp, ...over });

  it('accepts the documented example', () => {
    expect(verifyWebhookAuth(slack, [SLACK.secret], request(headers(), SLACK.body, now))).toEqual({ ok: true });
  });

  it('rejects a changed body, a wrong secret, a missing header and a stale timestamp', () => {
    expect(verifyWebhookAuth(slack, [SLACK.secret], request(headers(), SLACK.body + 'x', now))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(slack, ['another'], request(headers(), SLACK.body, now))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(slack, [SLACK.secret], request({ 'x-slack-request-timestamp': SLACK.timestamp }, SLACK.body, now))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_SIGNATURE' });
    expect(verifyWebhookAuth(slack, [SLACK.secret], request(headers(), SLACK.body, now + 6 * 60_000))).toMatchObject({ ok: false, code: 'OUT_ERR_WEBHOOK_TIMESTAMP' });
  });

  it('signs like Slack does (HMAC-SHA256 of v0:ts:body)', () => {
    const sig = `v0=${createHmac('sha256', 'other-secret').update(`v0:${SLACK.timestamp}:{"a":1}`).digest('hex')}`;
    expect(verifyWebhookAuth(slack, ['other-secret'], request(headers({ 'x-slack-signature': sig }), '{"a":1}', now))).toEqual({ ok: true });
  });
});
