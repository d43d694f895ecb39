/**
 * The gateway's overload gate (docs/performance.md#overload): refusals answered before the app, a client that
 * ignores Retry-After slowed on its connection, held answers bounded.
 */
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRefusalMemory, createWebhookGate, type WebhookGateOptions } from './webhook-gate';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(options: WebhookGateOptions) {
  const gate = createWebhookGate(options);
  let reachedApp = 0;
  const server = createServer((req, res) => {
    if (gate(req, res)) return;
    reachedApp += 1;
    req.resume();
    res.end('app');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  /** One client connection (keep-alive, one socket): requests on it reuse the connection. */
  const connection = () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    return (path: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; ms: number }>((resolve, reject) => {
        const started = performance.now();
        const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started }));
        });
        req.on('error', reject);
        req.end('{"x":1}');
      });
  };
  return { connection, reached: () => reachedApp };
}

describe('webhook gate', () => {
  it('lets everything through while not refusing, and never touches other paths', async () => {
    let refusing = false;
    const { connection, reached } = await serve({ refusal: () => (refusing ? { retryAfterSeconds: 1 } : null) });
    const post = connection();
    expect((await post('/webhook/ws/t')).status).toBe(200);
    refusing = true;
    expect((await post('/api/workspaces')).status).toBe(200);
    expect(reached()).toBe(2);
  });

  it('refuses with 503 OUT_ERR_BACKLOG_FULL + Retry-After before the app, and holds a refusal asked again on the same connection before its Retry-After', async () => {
    const { connection, reached } = await serve({ refusal: () => ({ retryAfterSeconds: 2 }), holdMs: 400 });
    const post = connection();
    const first = await post('/webhook/ws/t');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(JSON.parse(first.body)).toMatchObject({ error: { code: 'OUT_ERR_BACKLOG_FULL' } });
    const again = await post('/webhook/ws/t');
    expect(again.status).toBe(503);
    expect(again.ms).toBeGreaterThanOrEqual(350); // held: the flat-out loop waits instead of spinning
    expect(reached()).toBe(0);
  });

  it('answers a held refusal as soon as the refusal lifts (the client comes back while runs still have work), and admits its next request', async () => {
    let refusing = true;
    const { connection, reached } = await serve({ refusal: () => (refusing ? { retryAfterSeconds: 1 } : null), holdMs: 60_000, recheckMs: 10 });
    const post = connection();
    expect((await post('/webhook/ws/t')).status).toBe(503);
    const held = post('/webhook/ws/t');
    await new Promise((r) => setTimeout(r, 150));
    refusing = false; // the backlog fell below its mark
    const answered = await held;
    expect(answered.status).toBe(503);
    expect(answered.ms).toBeGreaterThanOrEqual(140); // it was held…
    expect(answered.ms).toBeLessThan(30_000); // …but not for the 60 s hold
    expect((await post('/webhook/ws/t')).status).toBe(200); // asked again at once, before its Retry-After: admitted
    expect(reached()).toBe(1);
  });

  it('does not hold a client that waited its Retry-After', async () => {
    let t = 1_000_000;
    const { connection } = await serve({ refusal: () => ({ retryAfterSeconds: 1 }), holdMs: 60_000, clock: { now: () => t } });
    const post = connection();
    expect((await post('/webhook/ws/t')).status).toBe(503);
    t += 1000;
    const later = await post('/webhook/ws/t');
    expect(later.status).toBe(503);
    expect(later.ms).toBeLessThan(30_000); // answered at once, not after the 60 s hold
  });

  it('holds at most maxHeld refusals; past that it answers at once and closes the connection', async () => {
    const { connection } = await serve({ refusal: () => ({ retryAfterSeconds: 5 }), holdMs: 60_000, maxHeld: 1 });
    const a = connection();
    const b = connection();
    expect((await a('/webhook/ws/t')).status).toBe(503);
    expect((await b('/webhook/ws/t')).status).toBe(503);
    void a('/webhook/ws/t').catch(() => undefined); // held (until the test's server closes)
    const overflow = await b('/webhook/ws/t');
    expect(overflow.status).toBe(503);
    expect(overflow.headers.connection).toBe('close');
    expect(overflow.ms).toBeLessThan(30_000);
  });
});

describe('refusal memory of a forwarding gateway', () => {
  it('refuses for a short window after the listener refused, with its Retry-After, then forwards again', () => {
    let t = 0;
    const memory = createRefusalMemory(250, { now: () => t });
    expect(memory.refusal()).toBeNull();
    memory.observe(3);
    expect(memory.refusal()).toEqual({ retryAfterSeconds: 3 });
    t = 249;
    expect(memory.refusal()).not.toBeNull();
    t = 250;
    expect(memory.refusal()).toBeNull();
    memory.observe(Number.NaN); // no usable Retry-After: 1 s
    expect(memory.refusal()).toEqual({ retryAfterSeconds: 1 });
  });
});
