/**
 * Against a local server speaking Slack's documented Web API (chat.postMessage): it checks the exact request —
 * POST, `Authorization: Bearer xoxb-…`, a JSON body with `channel` and `text` — and answers like Slack does
 * (`{ ok: true, channel, ts }`, `{ ok: false, error }` with HTTP 200, 429 + Retry-After when rate limited).
 * The real SSRF-guarded client (loopback allowed for the test) talks to it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@outrun/nodes';
import { RetryAfterError } from '@outrun/schemas';
import { runAction } from '@outrun/connector-kit/testing';
import slack from './index';

const TOKEN = 'xoxb-test-1234567890';
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: unknown }> = [];
let rateLimitNext = false;
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') return json(404, { ok: false, error: 'unknown_method' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(200, { ok: false, error: 'invalid_auth' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(200, { ok: false, error: 'invalid_form_data' });
    if (rateLimitNext) {
      rateLimitNext = false;
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '3' });
    }
    if (typeof body.channel !== 'string' || typeof body.text !== 'string') return json(200, { ok: false, error: 'no_text' });
    if (body.channel === 'C-missing') return json(200, { ok: false, error: 'channel_not_found' });
    return json(200, { ok: true, channel: body.channel, ts: '1700000000.000100', message: { text: body.text } });
  });
});
let baseUrl = '';
const http = createHttpClient({ allowList: ['127.0.0.1'] });

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  resolve();
})));
afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('slack chat.postMessage', () => {
  it('sends the documented request and returns channel and ts', async () => {
    const { output } = await runAction(slack, 'postMessage', { http, credential: { botToken: TOKEN, baseUrl }, params: { channel: 'C0123', text: 'New lead: *ACME*', threadTs: '1699999999.000200' } });
    expect(output).toEqual({ channel: 'C0123', ts: '1700000000.000100' });
    expect(seen.at(-1)!.body).toEqual({ channel: 'C0123', text: 'New lead: *ACME*', thread_ts: '1699999999.000200', unfurl_links: false });
  });

  it('ok:false errors fail the step without retry; a bad token is not logged', async () => {
    await expect(runAction(slack, 'postMessage', { http, credential: { botToken: TOKEN, baseUrl }, params: { channel: 'C-missing', text: 'x' } })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_FAILED', message: expect.stringContaining('channel_not_found') });
    const bad = await runAction(slack, 'postMessage', { http, credential: { botToken: 'xoxb-wrong-token-value', baseUrl }, params: { channel: 'C1', text: 'x' } }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(bad.message).toContain('invalid_auth');
    expect(bad.message).not.toContain('xoxb-wrong-token-value');
  });

  it('429 waits the Retry-After Slack sends', async () => {
    rateLimitNext = true;
    const err = await runAction(slack, 'postMessage', { http, credential: { botToken: TOKEN, baseUrl }, params: { channel: 'C1', text: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).retryAfterMs).toBe(3000);
  });
});
