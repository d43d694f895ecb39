import { isAllowedHost, isAllowedOrigin } from '@outrun/schemas';
import { allowedHostsOf, readWebEnv } from '../../lib/server-env';
import { WEB_CLIENT_HEADER } from '../../lib/web-client';

export const dynamic = 'force-dynamic';

const refuse = (): Response => Response.json({ error: { code: 'OUT_ERR_NOT_FOUND', message: 'Automatic sign-in is offered only by `npm start` on its local origin.' } }, { status: 404 });

/**
 * Embedded mode (`npm start`): signs the local owner in (a session cookie; the browser never sees the local key).
 * Only for the web app's own same-origin requests whose Host (and Origin, when present) is the configured local
 * origin — the same guard as `src/proxy.ts`, checked again here so this route never depends on the matcher.
 */
export async function POST(request: Request): Promise<Response> {
  const env = readWebEnv();
  const allowed = allowedHostsOf(env);
  if (env.OUTRUN_API_KEY === undefined || allowed === null) return refuse();
  if (!isAllowedHost(request.headers.get('host'), allowed)) return refuse();
  const origin = request.headers.get('origin');
  if (origin !== null && !isAllowedOrigin(origin, allowed)) return refuse();
  const site = request.headers.get('sec-fetch-site');
  if (request.headers.get(WEB_CLIENT_HEADER) === null || (site !== null && site !== 'same-origin')) return refuse();
  const headers = new Headers({ authorization: `Bearer ${env.OUTRUN_API_KEY}` });
  const forwardedFor = request.headers.get('x-forwarded-for');
  if (forwardedFor !== null) headers.set('x-forwarded-for', forwardedFor);
  try {
    const upstream = await fetch(`${env.WORKFLOW_API_URL.replace(/\/$/, '')}/api/auth/local-session`, { method: 'POST', headers, cache: 'no-store' });
    const out = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
    for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
    return new Response(upstream.body, { status: upstream.status, headers: out });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unreachable';
    return Response.json({ error: { code: 'OUT_ERR_UNAVAILABLE', message: `The API gateway is unreachable (${message}).` } }, { status: 503 });
  }
}
