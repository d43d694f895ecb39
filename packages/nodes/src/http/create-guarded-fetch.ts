/**
 * A WHATWG `fetch` for SDKs that bring their own HTTP calls (the `openai` client, and through it the Agents SDK):
 * every connection goes through the same SSRF-guarded connector as the nodes' HTTP client (the resolved IP is
 * checked, then the socket opens to exactly that IP), and redirects are followed by hand, at most `maxRedirects`
 * hops, each through that connector again. Credentials are dropped when a redirect leaves the first origin.
 * A refused hop rejects with the `OUT_ERR_SSRF_BLOCKED` error itself (not undici's generic "fetch failed").
 */
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { ErrorCode, NonRetriableError, OutrunError } from '@outrun/schemas';
import { guardedConnector, type HostResolver } from './create-http-client';
import { createSsrfPolicy } from './ssrf-policy';

export interface GuardedFetchOptions {
  /** Private destinations allowed (same forms as `OUTRUN_HTTP_ALLOW_LIST`). @default [] */
  allowList?: string[];
  /** Disables the SSRF guard entirely. @default false */
  allowPrivateNetwork?: boolean;
  /** Redirect hops followed before failing. @default 5 */
  maxRedirects?: number;
  /** Header names dropped when a redirect leaves the first origin, besides authorization, cookie and proxy-authorization. @default [] */
  sensitiveHeaders?: string[];
  /** TCP/TLS connect timeout in ms. @default 10_000 */
  connectTimeoutMs?: number;
  /** DNS resolution (tests). @default node:dns lookup with `all: true` */
  resolve?: HostResolver;
}

/** The fetch plus its connection pool: close it when the SDK client is done. */
export interface GuardedFetch {
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];

/** Builds a guarded fetch with its own pool. */
export function createGuardedFetch(options: GuardedFetchOptions = {}): GuardedFetch {
  const policy = createSsrfPolicy({ allowList: options.allowList ?? [], allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  const agent = new Agent({ connect: guardedConnector(policy, options.resolve, { timeout: options.connectTimeoutMs ?? 10_000 }) });
  const maxRedirects = options.maxRedirects ?? 5;
  const sensitive = [...ALWAYS_SENSITIVE, ...(options.sensitiveHeaders ?? []).map((h) => h.toLowerCase())];

  const guardedFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new NonRetriableError(ErrorCode.HTTP_REQUEST, 'The guarded fetch takes a URL and init, not a Request object');
    let url = new URL(input);
    const origin = url.origin;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body ?? null;
    const headers = new Headers(init.headers);
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new NonRetriableError(ErrorCode.SSRF_BLOCKED, `Blocked outbound request: only http and https URLs are allowed, got ${url.protocol}`);
      }
      const response = await send(agent, url, { ...init, method, headers, body, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (hop >= maxRedirects) throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Too many redirects (more than ${maxRedirects}) from ${String(input)}`);
      url = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = null;
        headers.delete('content-type');
        headers.delete('content-length');
      } else if (body instanceof ReadableStream) {
        throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Cannot follow a ${response.status} redirect with a streamed request body`);
      }
      if (url.origin !== origin) for (const name of sensitive) headers.delete(name);
    }
  };
  return { fetch: guardedFetch as typeof globalThis.fetch, close: () => agent.close() };
}

async function send(agent: Agent, url: URL, init: RequestInit): Promise<Response> {
  try {
    return (await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: agent })) as unknown as Response;
  } catch (error) {
    // undici reports a refused connect as TypeError("fetch failed") with our error as the cause.
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof OutrunError ? cause : error;
  }
}
