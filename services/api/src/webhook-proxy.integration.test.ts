import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let upstream: Server;
let seen: Seen[] = [];
let h: ApiHarness;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(207, { 'content-type': 'application/octet-stream', 'x-upstream': 'yes', 'set-cookie': ['a=1', 'b=2'] });
      res.end(Buffer.from([0, 1, 2, 250, 251, 252]));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  h = await startApi({ listenerUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await h.close();
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
});

describe('/webhook/* proxy', () => {
  it('forwards method, path, query, raw body bytes and headers; returns status, headers and body unchanged', async () => {
    seen = [];
    const body = Buffer.concat([Buffer.from('{"test": 2432232314}'), Buffer.from([0xff, 0x00, 0xfe])]);
    const res = await fetch(`${h.baseUrl}/webhook/ws-1/trigger-1?x=1&y=%20`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-signature': 'v1,abc', authorization: 'Basic dTpw', 'x-custom': 'kept' },
      body,
    });
    expect(res.status).toBe(207);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 250, 251, 252]));
    const got = seen[0];
    expect(got?.method).toBe('PUT');
    expect(got?.url).toBe('/webhook/ws-1/trigger-1?x=1&y=%20');
    expect(got?.body.equals(body)).toBe(true);
    expect(got?.headers).toMatchObject({ 'webhook-id': 'msg_1', 'webhook-signature': 'v1,abc', authorization: 'Basic dTpw', 'x-custom': 'kept', 'content-type': 'application/json' });
    expect(got?.headers['x-forwarded-for']).toContain('127.0.0.1');
  });

  it('streams a large body through without the 2 MiB API limit', async () => {
    seen = [];
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const res = await fetch(`${h.baseUrl}/webhook/ws-1/big`, { method: 'POST', body: big });
    expect(res.status).toBe(207);
    expect(seen[0]?.body.length).toBe(big.length);
  });

  it('answers 503 when the listener is unreachable, and 503 without any listener configured', async () => {
    const down = await startApi({ listenerUrl: 'http://127.0.0.1:9' });
    try {
      const res = await fetch(`${down.baseUrl}/webhook/a/b`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_UNAVAILABLE');
    } finally {
      await down.close();
    }
    const none = await startApi();
    try {
      expect((await fetch(`${none.baseUrl}/webhook/a/b`, { method: 'POST' })).status).toBe(503);
    } finally {
      await none.close();
    }
  });

  it('calls an in-process webhook handler in embedded mode with the original URL', async () => {
    const urls: string[] = [];
    const embedded = await startApi({
      webhookHandler: (req, res) => {
        urls.push(req.url ?? '');
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"runId":"r1"}');
      },
    });
    try {
      const res = await fetch(`${embedded.baseUrl}/webhook/ws/tr?q=1`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ runId: 'r1' });
      expect(urls).toEqual(['/webhook/ws/tr?q=1']);
    } finally {
      await embedded.close();
    }
  });
});
