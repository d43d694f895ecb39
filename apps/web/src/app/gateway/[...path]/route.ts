import { readWebEnv } from '../../../lib/server-env';
import { WEB_CLIENT_HEADER } from '../../../lib/web-client';

export const dynamic = 'force-dynamic';

/**
 * Headers passed through in each direction (hop-by-hop and host headers are not). `x-forwarded-for` (set by Next.js
 * to the browser's address) lets the gateway's per-IP sign-in lockout and audit log see the person, not this proxy.
 */
const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key', 'last-event-id', 'cookie', 'x-csrf-token', 'x-forwarded-for', WEB_CLIENT_HEADER];

const RESPONSE_HEADERS = ['content-type', 'retry-after', 'cache-control', 'location'];

/**
 * A same-origin pass-through to the API gateway (`WORKFLOW_API_URL`). The browser still only talks to the
 * gateway's contract; this avoids CORS and keeps the gateway private when only the web app is exposed.
 * Bodies and SSE streams are piped, not buffered.
 */
async function proxy(request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await context.params;
  // Only the API: the gateway's /metrics, /healthz and /webhook/* are not the browser's business (and the web server
  // reaches the gateway from loopback, which /metrics would trust).
  if (path[0] !== 'api') return Response.json({ error: { code: 'OUT_ERR_NOT_FOUND', message: 'The web proxy forwards /gateway/api/* only.' } }, { status: 404 });
  const env = readWebEnv();
  const search = new URL(request.url).search;
  const target = `${env.WORKFLOW_API_URL.replace(/\/$/, '')}/${path.map(encodeURIComponent).join('/')}${search}`;
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // Never a key of the server's: the browser authenticates with its session cookie (or a key it sends itself).
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    const upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : null,
      signal: request.signal,
      redirect: 'manual',
      cache: 'no-store',
    });
    const out = new Headers();
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    // The session and CSRF cookies of sign-in/sign-out (the gateway is reached through this origin only).
    for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
    if ((upstream.headers.get('content-type') ?? '').includes('text/event-stream')) {
      out.set('cache-control', 'no-cache, no-transform');
      out.set('x-accel-buffering', 'no');
    }
    return new Response(upstream.body, { status: upstream.status, headers: out });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const message = error instanceof Error ? error.message : 'unreachable';
    return Response.json(
      { error: { code: 'OUT_ERR_UNAVAILABLE', message: `The API gateway at ${env.WORKFLOW_API_URL} is unreachable (${message}).` } },
      { status: 503 },
    );
  }
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
