/** `http-request` against real local servers through the real guarded client (servers allow-listed by ip:port). */
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink, type HttpSinkOptions } from '@outrun/testing/http-sink';
import { ErrorCode, NonRetriableError, OperationalError, RetryAfterError, UnexpectedError, type JsonValue } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';
import { createHttpClient, type PooledHttpClient } from '../http/create-http-client';
import { createManualClock } from '../testing/manual-clock';
import { runNode, type RunNodeOptions } from '../testing/run-node';
import { httpRequestNode } from '.';
import { caughtError } from '../testing/caught-error';

const sinks: HttpSink[] = [];
const clients: PooledHttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

const credentials: Record<string, Record<string, JsonValue>> = {
  'cred-header': { name: 'X-Api-Key', value: 'k-123' },
  'cred-bearer': { type: 'http_bearer', token: 't-456' },
  'cred-basic': { username: 'ann', password: 'p@ss' },
  'cred-openai': { apiKey: 'sk-x' },
  'cred-elsewhere': { token: 'bound-to-crm' },
  'cred-legacy': { token: 'from-before-hosts' },
};
/** Where each credential may be sent: the sinks listen on 127.0.0.1 (any port). */
const allowedHosts: Record<string, string[]> = { 'cred-elsewhere': ['https://api.crm.example'], 'cred-legacy': [] };

async function setup(options: HttpSinkOptions = {}) {
  const sink = await startHttpSink(options);
  sinks.push(sink);
  const http = createHttpClient({ allowList: [`127.0.0.1:${sink.port}`] });
  clients.push(http);
  const services: NodeServices = {
    http,
    credentials: { get: (id) => Promise.resolve(credentials[id] ?? null), allowedHosts: (id) => Promise.resolve(credentials[id] ? (allowedHosts[id] ?? ['127.0.0.1']) : null) },
  };
  const run = (params: Record<string, unknown>, extra: Partial<RunNodeOptions> = {}) => runNode(httpRequestNode, { params, services, ...extra });
  return { sink, run };
}

const failure = (promise: Promise<unknown>) => caughtError(promise, 'the node');

describe('http-request', () => {
  it('GETs with query and headers, sends the idempotency key, parses JSON, counts the call', async () => {
    const { sink, run } = await setup({ respond: () => ({ status: 200, headers: { 'x-trace': 'abc' }, body: { leads: 3 } }) });
    const result = await run({ url: `${sink.url}/leads?page=1`, query: { page: 2, active: true }, headers: { 'X-Client': 'outrun' } }, { runId: 'run-9', nodeId: 'fetch', attempt: 2 });
    expect(result.output).toMatchObject({ status: 200, headers: { 'x-trace': 'abc', 'content-type': 'application/json' }, body: { leads: 3 } });
    expect(result.usage).toEqual({ webhooksCalled: 1 });
    const [received] = sink.requests;
    expect(received).toMatchObject({ method: 'GET', url: '/leads?page=2&active=true', body: '' });
    expect(received?.headers['idempotency-key']).toBe('run-9:fetch:2');
    expect(received?.headers['x-client']).toBe('outrun');
    expect(result.logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'http request', fields: expect.objectContaining({ status: 200, host: `127.0.0.1:${sink.port}` }) }));
  });

  it('lets an explicit Idempotency-Key header win (e.g. an order id for end-to-end dedupe)', async () => {
    const { sink, run } = await setup();
    await run({ url: sink.url, headers: { 'Idempotency-Key': 'order-42' } });
    expect(sink.requests[0]?.headers['idempotency-key']).toBe('order-42');
  });

  it('sends JSON, text and form bodies with their content types', async () => {
    const { sink, run } = await setup();
    await run({ method: 'POST', url: sink.url, bodyType: 'json', body: { name: 'John Doe', company: 'Acme Corp' } });
    await run({ method: 'PUT', url: sink.url, bodyType: 'text', body: 'plain words' });
    await run({ method: 'PATCH', url: sink.url, bodyType: 'form', body: { a: 'x y', n: 1, ok: true } });
    await run({ method: 'POST', url: sink.url, bodyType: 'json', body: [1], headers: { 'Content-Type': 'application/vnd.api+json' } });
    const [json, text, form, custom] = sink.requests;
    expect(json).toMatchObject({ method: 'POST', body: '{"name":"John Doe","company":"Acme Corp"}' });
    expect(json?.headers['content-type']).toBe('application/json');
    expect(text).toMatchObject({ method: 'PUT', body: 'plain words' });
    expect(text?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(form).toMatchObject({ method: 'PATCH', body: 'a=x+y&n=1&ok=true' });
    expect(form?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(custom?.headers['content-type']).toBe('application/vnd.api+json');
  });

  it.each([
    ['cred-header', 'x-api-key', 'k-123'],
    ['cred-bearer', 'authorization', 'Bearer t-456'],
    ['cred-basic', 'authorization', `Basic ${Buffer.from('ann:p@ss').toString('base64')}`],
  ])('injects credential %s', async (credentialId, header, value) => {
    const { sink, run } = await setup();
    const result = await run({ url: sink.url, credentialId });
    expect(sink.requests[0]?.headers[header]).toBe(value);
    expect(JSON.stringify(result.logs)).not.toContain(value);
  });

  it('fails non-retriably when the credential is missing or not an HTTP credential', async () => {
    const { sink, run } = await setup();
    for (const credentialId of ['nope', 'cred-openai']) {
      const error = await failure(run({ url: sink.url, credentialId }));
      expect(error).toBeInstanceOf(NonRetriableError);
      expect(error.code).toBe(ErrorCode.CREDENTIAL_NOT_FOUND);
    }
    const noAccessor = await failure(runNode(httpRequestNode, { params: { url: sink.url, credentialId: 'cred-header' }, services: { http: createHttpClient() } }));
    expect(noAccessor.code).toBe(ErrorCode.CREDENTIAL_NOT_FOUND);
    expect(sink.requests).toHaveLength(0);
  });

  it('never sends a credential to a host outside its allowedHosts (nor one that has none): nothing reaches the server', async () => {
    const { sink, run } = await setup();
    for (const credentialId of ['cred-elsewhere', 'cred-legacy']) {
      const error = await failure(run({ url: `${sink.url}/echo`, credentialId }));
      expect(error).toBeInstanceOf(NonRetriableError);
      expect(error.code).toBe(ErrorCode.CREDENTIAL_HOST_NOT_ALLOWED);
      expect((error as NonRetriableError).details[0]?.path).toBe('url');
      expect(error.message).toContain('allowedHosts');
    }
    expect(sink.requests).toHaveLength(0);
  });

  it('maps error statuses: 5xx retriable, 4xx not, 429 with Retry-After seconds or date', async () => {
    const clock = createManualClock();
    const retryDate = new Date(clock.now() + 5000).toUTCString();
    const { sink, run } = await setup({
      respond: (req) => {
        const status = Number(req.url.slice(1, 4));
        const headers: Record<string, string> = req.url.endsWith('/seconds') ? { 'retry-after': '3' } : req.url.endsWith('/date') ? { 'retry-after': retryDate } : {};
        return { status, headers, body: { error: 'x' } };
      },
    });
    const at = (path: string) => failure(run({ url: `${sink.url}${path}` }, { clock }));
    const serverError = await at('/503');
    expect(serverError).toBeInstanceOf(OperationalError);
    expect(serverError).toMatchObject({ code: ErrorCode.HTTP_STATUS, details: [{ path: 'url', message: 'HTTP 503' }] });
    expect(await at('/404')).toBeInstanceOf(NonRetriableError);
    expect(await at('/408')).toBeInstanceOf(OperationalError);
    const seconds = await at('/429/seconds');
    expect(seconds).toBeInstanceOf(RetryAfterError);
    expect((seconds as RetryAfterError).retryAfterMs).toBe(3000);
    expect(((await at('/429/date')) as RetryAfterError).retryAfterMs).toBe(5000);
    const bare = await at('/429');
    expect(bare).toBeInstanceOf(OperationalError);
    expect(bare).not.toBeInstanceOf(RetryAfterError);
  });

  it('returns error statuses as output when failOnStatus is false', async () => {
    const { sink, run } = await setup({ status: 500 });
    const result = await run({ url: sink.url, failOnStatus: false });
    expect(result.output).toMatchObject({ status: 500, body: { ok: true } });
  });

  it('parses the response per responseType', async () => {
    const { sink, run } = await setup({
      respond: (req) =>
        req.url === '/bad-json' ? { status: 200, headers: { 'content-type': 'application/json' }, body: '{oops' } : req.url === '/empty' ? { status: 204 } : { status: 200, body: { a: 1 } },
    });
    expect((await run({ url: `${sink.url}/ok`, responseType: 'text' })).output).toMatchObject({ body: '{"a":1}' });
    expect((await run({ url: `${sink.url}/bad-json` })).output).toMatchObject({ body: '{oops' });
    expect((await run({ url: `${sink.url}/empty`, responseType: 'json' })).output).toMatchObject({ status: 204, body: null });
    const error = await failure(run({ url: `${sink.url}/bad-json`, responseType: 'json' }));
    expect(error).toMatchObject({ code: ErrorCode.PARSE });
  });

  it('aborts at the timeout with a retriable error', async () => {
    const { sink, run } = await setup({ delayMs: 5000 });
    const error = await failure(run({ url: sink.url, timeout: 150 }));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(/timed out after 150 ms/);
  });

  it('is blocked from private addresses, including through a redirect', async () => {
    const { sink, run } = await setup({ respond: () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }) });
    // Only 127.0.0.1:<sink port> is allow-listed: other loopback addresses and ports stay blocked.
    for (const url of [`http://127.0.0.2:${sink.port}/`, `http://[::1]:${sink.port}/`, 'http://localhost:1/']) {
      expect((await failure(run({ url }))).code, url).toBe(ErrorCode.SSRF_BLOCKED);
    }
    expect((await failure(run({ url: `${sink.url}/redirect` }))).code).toBe(ErrorCode.SSRF_BLOCKED);
    expect(sink.requests.map((r) => r.url)).toEqual(['/redirect']);
  });

  it('validates params: http(s) URLs only (templates pass until evaluated), body shape per type', async () => {
    const { run } = await setup();
    await expect(run({ url: 'ftp://example.com/x' })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.url' }] });
    await expect(run({ url: 'https://example.com', bodyType: 'text', body: { a: 1 } })).rejects.toMatchObject({ details: [{ path: 'data.body' }] });
    await expect(run({ url: 'https://example.com', bodyType: 'form', body: { a: { nested: 1 } } })).rejects.toMatchObject({ details: [{ path: 'data.body' }] });
    await expect(run({ url: 'https://example.com', method: 'TRACE' })).rejects.toMatchObject({ details: [{ path: 'data.method' }] });
    expect(httpRequestNode.params.safeParse({ url: '{{ trigger.callbackUrl }}' }).success).toBe(true);
    await expect(run({ url: '{{ not evaluated }}' })).rejects.toMatchObject({ code: ErrorCode.HTTP_REQUEST, details: [{ path: 'url' }] });
  });

  it('needs an HTTP client from the runner', async () => {
    await expect(runNode(httpRequestNode, { params: { url: 'https://example.com' } })).rejects.toBeInstanceOf(UnexpectedError);
  });
});
