/**
 * Runs before every page and route handler (Next.js proxy): refuses foreign `Host`/`Origin` names while the server
 * holds the local API key (a page on `attacker.example` rebound to 127.0.0.1 must get nothing), then sets the
 * nonce-based CSP and the security headers. `next.config.mjs` adds the static headers to `_next/static` too.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { isAllowedHost, isAllowedOrigin } from '@outrun/schemas';
import { allowedHostsOf, readWebEnv } from './lib/server-env';
import { contentSecurityPolicy, SECURITY_HEADERS } from './lib/security-policy';

function refuse(message: string): NextResponse {
  const response = NextResponse.json({ error: { code: 'OUT_ERR_HOST_NOT_ALLOWED', message } }, { status: 403 });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const allowed = allowedHostsOf(readWebEnv());
  if (allowed !== null) {
    if (!isAllowedHost(request.headers.get('host'), allowed)) {
      return refuse('This Host name is not a local name of this server (DNS rebinding protection); add it to OUTRUN_ALLOWED_HOSTS.');
    }
    const origin = request.headers.get('origin');
    if (origin !== null && !isAllowedOrigin(origin, allowed)) return refuse('Requests from this Origin are refused.');
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but the build's immutable static files (they get the static headers from next.config.mjs).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
