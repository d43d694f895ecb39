/**
 * The guarded client against real local HTTP servers. Test servers listen on 127.0.0.1, which the
 * guard blocks, so each test allow-lists exactly `127.0.0.1:<port>` of the servers it means to reach:
 * anything else on loopback (another port, `localhost`, `[::1]`, mapped forms) stays blocked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { ErrorCode, NonRetriableError, OperationalError } from '@outrun/schemas';
import { createHttpClient, type HttpClientOptions, type PooledHttpClient } from './create-http-client';
import { caughtError } from '../testing/caught-error';

const sinks: HttpSink[] = [];
const clients: PooledHttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

async function sink(options: Parameters<typeof startHttpSink>[0] = {}): Promise<HttpSink> {
  const started = await startHttpSink(options);
  sinks.push(started);
  return started;
}
function client(options: HttpClientOptions = {}): PooledHttpClient {
  const created = createHttpClient(options);
  clients.push(created);
  return created;
}
const failure = (promise: Promise<unknown>) => caughtError(promise, 'the request');

describe('createHttpClient', () => {
  it('sends method, headers and body to an allow-listed server and returns status, headers, body', async () => {
    const target = await sink({ respond: () => ({ status: 201, headers: { 'x-reply': 'yes' }, body: { created: true } }) });
    const http = client({ allowList: [`127.0.0.1:${target.port}`] });
    const response = await http.request({ method: 'POST', url: `${target.url}/items?x=1`, headers: { 'content-type': 'application/json', 'x-test': 'a' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers['x-reply']).toBe('yes');
    expect(JSON.parse(response.body)).toEqual({ created: true });
    const [received] = await target.waitForRequests(1);
    expect(received).toMatchObject({ method: 'POST', url: '/items?x=1', body: '{"a":1}' });
    expect(received?.headers['x-test']).toBe('a');
  });

  it('blocks a name that resolves to loopback (localhost) before any byte is sent', async () => {
    const target = await sink();
    const error = await failure(client().request({ method: 'GET', url: `http://localhost:${target.port}/` }));
    expect(error).toBeInstanceOf(NonRetriableError);
    expect(error.code).toBe(ErrorCode.SSRF_BLOCKED);
    expect(error.message).toMatch(/localhost:\d+ resolves to (127\.0\.0\.1|::1)/);
    expect(target.requests).toHaveLength(0);
  });

  it.each([
    ['IPv4 loopback literal', (port: number) => `http://127.0.0.1:${port}/`],
    ['IPv6 loopback literal', (port: number) => `http://[::1]:${port}/`],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['0.0.0.0', (port: number) => `http://0.0.0.0:${port}/`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['private 10/8', () => 'http://10.0.0.1/'],
  ])('blocks a literal IP: %s', async (_name, url) => {
    const target = await sink();
    const error = await failure(client().request({ method: 'GET', url: url(target.port), timeoutMs: 2000 }));
    expect(error.code).toBe(ErrorCode.SSRF_BLOCKED);
    expect(target.requests).toHaveLength(0);
  });

  it('blocks a name resolving to a private address and allows it when the name is allow-listed', async () => {
    const target = await sink();
    const resolve = (hostname: string) => Promise.resolve(hostname === 'intranet.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const url = `http://intranet.test:${target.port}/status`;
    const blocked = await failure(client({ resolve }).request({ method: 'GET', url }));
    expect(blocked.code).toBe(ErrorCode.SSRF_BLOCKED);
    const allowed = await client({ resolve, allowList: ['intranet.test'] }).request({ method: 'GET', url });
    expect(allowed.status).toBe(200);
    const [received] = await target.waitForRequests(1);
    expect(received?.headers.host).toBe(`intranet.test:${target.port}`);
  });

  it('checks every redirect hop: an allowed server redirecting to a private address is blocked', async () => {
    const internal = await sink({ respond: () => ({ status: 200, body: 'secret' }) });
    const targets = [`http://127.0.0.1:${internal.port}/`, `http://localhost:${internal.port}/`, 'http://169.254.169.254/latest/meta-data/'];
    for (const location of targets) {
      const front = await sink({ respond: () => ({ status: 302, headers: { location } }) });
      const error = await failure(client({ allowList: [`127.0.0.1:${front.port}`] }).request({ method: 'GET', url: `${front.url}/go`, timeoutMs: 2000 }));
      expect(error.code, location).toBe(ErrorCode.SSRF_BLOCKED);
      expect(front.requests).toHaveLength(1);
    }
    expect(internal.requests).toHaveLength(0);
  });

  it('follows allowed redirects: 303 turns POST into GET, 307 keeps method and body', async () => {
    const end = await sink({ respond: (req) => ({ status: 200, body: { method: req.method, body: req.body } }) });
    const front = await sink({ respond: (req) => ({ status: req.url === '/see-other' ? 303 : 307, headers: { location: `${end.url}/end` } }) });
    const http = client({ allowList: [`127.0.0.1:${front.port}`, `127.0.0.1:${end.port}`] });
    const seeOther = await http.request({ method: 'POST', url: `${front.url}/see-other`, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(JSON.parse(seeOther.body)).toEqual({ method: 'GET', body: '' });
    const temporary = await http.request({ method: 'POST', url: `${front.url}/temporary`, body: 'hello' });
    expect(JSON.parse(temporary.body)).toEqual({ method: 'POST', body: 'hello' });
  });

  it('drops credentials on a cross-origin redirect and keeps them on the same origin', async () => {
    const other = await sink();
    const front = await sink({
      respond: (req) => (req.url === '/final' ? { status: 200 } : { status: 302, headers: { location: req.url === '/away' ? `${other.url}/x` : '/final' } }),
    });
    const http = client({ allowList: [`127.0.0.1:${front.port}`, `127.0.0.1:${other.port}`] });
    const headers = { authorization: 'Bearer s3cret', 'x-api-key': 'k', 'x-plain': 'p' };
    await http.request({ method: 'GET', url: `${front.url}/away`, headers, sensitiveHeaders: ['X-Api-Key'] });
    const [away] = await other.waitForRequests(1);
    expect(away?.headers.authorization).toBeUndefined();
    expect(away?.headers['x-api-key']).toBeUndefined();
    expect(away?.headers['x-plain']).toBe('p');
    front.reset();
    await http.request({ method: 'GET', url: `${front.url}/same`, headers, sensitiveHeaders: ['x-api-key'] });
    const final = front.requests.find((r) => r.url === '/final');
    expect(final?.headers.authorization).toBe('Bearer s3cret');
    expect(final?.headers['x-api-key']).toBe('k');
  });

  it('fails after maxRedirects hops', async () => {
    const loop = await sink({ respond: () => ({ status: 301, headers: { location: '/again' } }) });
    const error = await failure(client({ allowList: [`127.0.0.1:${loop.port}`], maxRedirects: 3 }).request({ method: 'GET', url: loop.url }));
    expect(error).toBeInstanceOf(NonRetriableError);
    expect(error.code).toBe(ErrorCode.HTTP_REQUEST);
    expect(error.message).toMatch(/Too many redirects/);
    expect(loop.requests).toHaveLength(4);
  });

  it('times out as a retriable error, and a caller abort rejects with the abort reason', async () => {
    const slow = await sink({ delayMs: 5000 });
    const http = client({ allowList: [`127.0.0.1:${slow.port}`] });
    const timedOut = await failure(http.request({ method: 'GET', url: slow.url, timeoutMs: 100 }));
    expect(timedOut).toBeInstanceOf(OperationalError);
    expect(timedOut.message).toMatch(/timed out after 100 ms/);
    const controller = new AbortController();
    const pending = http.request({ method: 'GET', url: slow.url, signal: controller.signal });
    await slow.waitForRequests(2);
    const reason = new Error('run cancelled');
    controller.abort(reason);
    expect(await failure(pending)).toBe(reason);
  });

  it('refuses responses larger than maxResponseBytes', async () => {
    const big = await sink({ respond: () => ({ status: 200, body: 'x'.repeat(64 * 1024) }) });
    const error = await failure(client({ allowList: [`127.0.0.1:${big.port}`], maxResponseBytes: 1024 }).request({ method: 'GET', url: big.url }));
    expect(error.code).toBe(ErrorCode.HTTP_RESPONSE_TOO_LARGE);
  });

  it('refuses non-http schemes and reports connection failures as retriable', async () => {
    expect((await failure(client().request({ method: 'GET', url: 'file:///etc/passwd' }))).code).toBe(ErrorCode.SSRF_BLOCKED);
    const gone = await sink();
    const port = gone.port;
    await gone.close();
    sinks.splice(sinks.indexOf(gone), 1);
    const refused = await failure(client({ allowList: [`127.0.0.1:${port}`] }).request({ method: 'GET', url: `http://127.0.0.1:${port}/` }));
    expect(refused).toBeInstanceOf(OperationalError);
    expect(refused.code).toBe(ErrorCode.HTTP_REQUEST);
  });

  it('allowPrivateNetwork lets everything through', async () => {
    const target = await sink();
    const response = await client({ allowPrivateNetwork: true }).request({ method: 'GET', url: `http://localhost:${target.port}/` });
    expect(response.status).toBe(200);
  });
});

describe('createHttpClient address selection', () => {
  it('falls back to the next allowed address when the first refuses the connection', async () => {
    const target = await sink();
    // The sink listens on 127.0.0.1 only, so 127.0.0.2 refuses; the name is allow-listed so both are candidates.
    const resolve = () => Promise.resolve([{ address: '127.0.0.2', family: 4 }, { address: '127.0.0.1', family: 4 }]);
    const http = client({ resolve, allowList: ['svc.test'] });
    const response = await http.request({ method: 'GET', url: `http://svc.test:${target.port}/` });
    expect(response.status).toBe(200);
  });

  it('skips refused addresses of a name and connects to the allowed one', async () => {
    const target = await sink();
    const resolve = () => Promise.resolve([{ address: '10.0.0.1', family: 4 }, { address: '127.0.0.1', family: 4 }]);
    const response = await client({ resolve, allowList: [`127.0.0.1:${target.port}`] }).request({ method: 'GET', url: `http://mixed.test:${target.port}/` });
    expect(response.status).toBe(200);
  });

  it('a name that resolves to nothing is a retriable request error, not an SSRF block', async () => {
    const error = await failure(client({ resolve: () => Promise.resolve([]) }).request({ method: 'GET', url: 'http://nowhere.test/' }));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe(ErrorCode.HTTP_REQUEST);
  });
});
