import { afterEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from './http-sink';

let sink: HttpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('startHttpSink', () => {
  it('records method, url, headers and body, and answers 200 {ok: true} by default', async () => {
    sink = await startHttpSink();
    const before = Date.now();
    const response = await fetch(`${sink.url}/hook?x=1`, { method: 'POST', headers: { 'x-test': 'yes' }, body: 'payload' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const [req] = sink.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/hook?x=1', body: 'payload' });
    expect(req?.headers['x-test']).toBe('yes');
    expect(req?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('takes the status from a number or a function, and full answers from respond', async () => {
    sink = await startHttpSink({ status: (req) => (req.url === '/fail' ? 503 : 204) });
    expect((await fetch(`${sink.url}/fail`)).status).toBe(503);
    expect((await fetch(`${sink.url}/ok`)).status).toBe(204);
    await sink.close();
    sink = await startHttpSink({ respond: async (req) => ({ status: 201, headers: { 'x-echo': req.method }, body: 'text body' }) });
    const response = await fetch(sink.url, { method: 'PUT' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('PUT');
    expect(await response.text()).toBe('text body');
  });

  it('tracks concurrent in-flight requests under a delay', async () => {
    sink = await startHttpSink({ delayMs: 150 });
    const url = sink.url;
    const started = Date.now();
    await Promise.all([fetch(url), fetch(url), fetch(url)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sink.maxInFlight).toBe(3);
    expect(sink.inFlight).toBe(0);
    sink.reset();
    expect(sink.requests).toHaveLength(0);
    expect(sink.maxInFlight).toBe(0);
    await fetch(url);
    expect(sink.maxInFlight).toBe(1);
  });

  it('waitForRequests resolves on arrival and rejects after its timeout', async () => {
    sink = await startHttpSink();
    const waiting = sink.waitForRequests(2);
    await fetch(sink.url);
    await fetch(sink.url);
    expect(await waiting).toHaveLength(2);
    await expect(sink.waitForRequests(3, 50)).rejects.toThrow(/expected 3 requests within 50 ms, got 2/);
  });

  it('close() drops pending delayed answers and stops listening', async () => {
    sink = await startHttpSink({ delayMs: 10_000 });
    const pending = fetch(sink.url).catch((error: unknown) => error);
    await sink.waitForRequests(1);
    await sink.close();
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(sink.url)).rejects.toThrow();
    sink = undefined;
  });
});
