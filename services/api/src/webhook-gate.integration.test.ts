/**
 * Overload refusals at the gateway (docs/performance.md#overload): once the listener answered 503
 * OUT_ERR_BACKLOG_FULL, the forwarding gateway refuses webhooks itself, before Express (no request id, nothing
 * forwarded), for a short window; embedded, it asks the in-process listener's refusal before Express.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function refusingListener() {
  let forwarded = 0;
  const upstream: Server = createServer((req, res) => {
    forwarded += 1;
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '4' });
    res.end(JSON.stringify({ error: { code: 'OUT_ERR_BACKLOG_FULL', message: 'full' } }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  cleanups.push(async () => {
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });
  return { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, forwarded: () => forwarded };
}

async function api(overrides: Parameters<typeof startApi>[0]): Promise<ApiHarness> {
  const h = await startApi(overrides);
  cleanups.push(() => h.close());
  return h;
}

describe('webhook refusals before Express', () => {
  it('a forwarding gateway refuses on its own after the listener refused, then forwards again', async () => {
    const listener = await refusingListener();
    const h = await api({ listenerUrl: listener.url });
    const first = await fetch(`${h.baseUrl}/webhook/ws-1/t-1`, { method: 'POST', body: '{}' });
    expect(first.status).toBe(503);
    expect(first.headers.get('x-request-id')).not.toBeNull(); // forwarded through Express
    await first.text();
    expect(listener.forwarded()).toBe(1);

    const second = await fetch(`${h.baseUrl}/webhook/ws-1/t-1`, { method: 'POST', body: '{}' });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('4');
    expect(second.headers.get('x-request-id')).toBeNull(); // answered before Express's middleware
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_BACKLOG_FULL');
    expect(listener.forwarded()).toBe(1);

    await new Promise((r) => setTimeout(r, 300)); // past the window: the listener is asked again
    const third = await fetch(`${h.baseUrl}/webhook/ws-1/t-1`, { method: 'POST', body: '{}' });
    await third.text();
    expect(listener.forwarded()).toBe(2);
  });

  it('embedded: the listener refusal is asked before Express; the API is not gated', async () => {
    let refusing = true;
    const h = await api({ webhookHandler: (_req, res) => res.end('listener'), webhookRefusal: () => (refusing ? { retryAfterSeconds: 2 } : null) });
    const refused = await fetch(`${h.baseUrl}/webhook/ws-1/t-1`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-request-id')).toBeNull();
    await refused.text();
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    refusing = false;
    const passed = await fetch(`${h.baseUrl}/webhook/ws-1/t-1`, { method: 'POST', body: '{}' });
    expect(await passed.text()).toBe('listener');
  });
});
