/**
 * The outbound HTTP client nodes use: undici's pooled `Agent` with an SSRF guard at connect time
 * (the resolved IP is checked, then the socket is opened to exactly that IP, so DNS rebinding cannot
 * swap it) and redirects followed by hand so every hop is checked again.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, request as undiciRequest } from 'undici';
import { ErrorCode, NonRetriableError, OperationalError } from '@outrun/schemas';
import type { HttpClient, HttpRequestLike, HttpResponseLike } from '@outrun/engine';
import { parseIp } from './ip-address';
import { createSsrfPolicy, type SsrfPolicy } from './ssrf-policy';
import { traceHttpRequest } from './trace-http-request';

/** Resolves a host name to its addresses (injectable so tests can point names anywhere). */
export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface HttpClientOptions {
  /** Destinations allowed even if private: `host`, `host:port`, `ip`, `ip:port`, `[v6]:port`, CIDR. @default [] */
  allowList?: string[];
  /** Disables the SSRF guard entirely. @default false */
  allowPrivateNetwork?: boolean;
  /** Redirect hops followed before failing. @default 5 */
  maxRedirects?: number;
  /** Response bodies larger than this fail the request. @default 10 MiB */
  maxResponseBytes?: number;
  /** Connections per origin in the pool. @default 64 */
  connectionsPerOrigin?: number;
  /** TCP/TLS connect timeout in ms. @default 10_000 */
  connectTimeoutMs?: number;
  /** DNS resolution. @default node:dns lookup with `all: true` */
  resolve?: HostResolver;
  /** Extra trusted CA certificates (PEM), e.g. a company CA. @default Node's bundled CAs */
  ca?: string | string[];
}

/** Extra request options this client understands (other `HttpClient`s ignore them). */
export interface GuardedHttpRequest extends HttpRequestLike {
  /** Header names to drop when a redirect leaves the original origin (credentials). `authorization` and `cookie` always are. */
  sensitiveHeaders?: string[];
}

/** An `HttpClient` that owns a connection pool: close it on shutdown. */
export interface PooledHttpClient extends HttpClient {
  request(req: GuardedHttpRequest): Promise<HttpResponseLike>;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];
const defaultResolve: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Creates the guarded, pooled client; one per process is enough (it is safe to share). */
export function createHttpClient(options: HttpClientOptions = {}): PooledHttpClient {
  const policy = createSsrfPolicy(options);
  const resolve = options.resolve ?? defaultResolve;
  const maxRedirects = options.maxRedirects ?? 5;
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const agent = new Agent({
    connections: options.connectionsPerOrigin ?? 64,
    connect: guardedConnector(policy, resolve, { timeout: options.connectTimeoutMs ?? 10_000, ...(options.ca === undefined ? {} : { ca: options.ca }) }),
  });
  return {
    request: (req) => traceHttpRequest(req, (traced) => requestFollowingRedirects(agent, traced, { maxRedirects, maxResponseBytes })),
    close: () => agent.close(),
  };
}

function blocked(reason: string): NonRetriableError {
  return new NonRetriableError(ErrorCode.SSRF_BLOCKED, `Blocked outbound request: ${reason}`);
}

/**
 * Resolves, checks every candidate IP against the policy, and connects to the allowed ones in resolver
 * order (falling back to the next on a connect error, e.g. an unreachable IPv6 address).
 * Only when every resolved address is refused does the request fail as blocked.
 */
export function guardedConnector(policy: SsrfPolicy, resolve: HostResolver = defaultResolve, connectOptions: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connectTo = buildConnector(connectOptions);
  return (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const candidates = isIP(opts.hostname) ? Promise.resolve([{ address: opts.hostname }]) : resolve(opts.hostname);
    candidates.then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(new OperationalError(ErrorCode.HTTP_REQUEST, `${opts.hostname} did not resolve to any address`), null);
          return;
        }
        const allowed: string[] = [];
        let refusal = '';
        for (const { address } of addresses) {
          const parsed = parseIp(address);
          const reason = parsed ? policy.check({ hostname: opts.hostname, port, address: parsed }) : `unparseable address ${address}`;
          if (reason === null) allowed.push(address);
          else refusal = reason;
        }
        if (allowed.length === 0) {
          callback(blocked(refusal), null);
          return;
        }
        const attempt = (i: number): void => {
          // Connect to the checked IP itself; `host` keeps the name for TLS SNI and certificate checks.
          connectTo({ ...opts, hostname: allowed[i] as string, host: opts.host ?? opts.hostname }, (...args) => {
            if (args[0] !== null && i + 1 < allowed.length) attempt(i + 1);
            else callback(...args);
          });
        };
        attempt(0);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}

interface Limits {
  maxRedirects: number;
  maxResponseBytes: number;
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Invalid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw blocked(`only http and https URLs are allowed, got ${url.protocol}`);
  }
  return url;
}

async function requestFollowingRedirects(agent: Agent, req: GuardedHttpRequest, limits: Limits): Promise<HttpResponseLike> {
  const timeout = req.timeoutMs === undefined ? undefined : AbortSignal.timeout(req.timeoutMs);
  const signals = [req.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  const sensitive = new Set([...ALWAYS_SENSITIVE, ...(req.sensitiveHeaders ?? []).map((h) => h.toLowerCase())]);
  let url = checkUrl(req.url);
  const origin = url.origin;
  let method = req.method.toUpperCase();
  let body = req.body;
  let headers = { ...req.headers };
  for (let hop = 0; ; hop++) {
    const response = await sendOnce(agent, { url, method, headers, body, signal }, limits, req, timeout);
    const location = response.headers['location'];
    if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return response;
    if (hop >= limits.maxRedirects) {
      throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Too many redirects (more than ${limits.maxRedirects}) from ${req.url}`);
    }
    url = checkUrl(new URL(location, url).toString());
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length']);
    }
    if (url.origin !== origin) headers = withoutHeaders(headers, [...sensitive]);
  }
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

async function sendOnce(agent: Agent, hop: Hop, limits: Limits, req: HttpRequestLike, timeout?: AbortSignal): Promise<HttpResponseLike> {
  try {
    const response = await undiciRequest(hop.url, {
      dispatcher: agent,
      method: hop.method as 'GET',
      headers: hop.headers,
      body: hop.body ?? null,
      signal: hop.signal,
    });
    const body = await readLimited(response.body, limits.maxResponseBytes, hop.url);
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
  } catch (error) {
    throw translateError(error, req, timeout);
  }
}

async function readLimited(body: AsyncIterable<Uint8Array> & { destroy(err?: Error): unknown }, max: number, url: URL): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      const error = new NonRetriableError(ErrorCode.HTTP_RESPONSE_TOO_LARGE, `Response from ${url.host} is larger than ${max} bytes`);
      body.destroy(error);
      throw error;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Maps undici/network failures to Outrun errors: timeouts and network errors are retriable. */
function translateError(error: unknown, req: HttpRequestLike, timeout?: AbortSignal): unknown {
  if (error instanceof NonRetriableError || error instanceof OperationalError) return error;
  if (req.signal?.aborted) return req.signal.reason as unknown;
  if (timeout?.aborted) {
    return new OperationalError(ErrorCode.HTTP_REQUEST, `Request to ${req.url} timed out after ${req.timeoutMs} ms`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  return new OperationalError(ErrorCode.HTTP_REQUEST, `Request to ${req.url} failed: ${typeof code === 'string' ? `${code} ` : ''}${detail}`, { cause: error });
}
