/** The session and CSRF cookies (no cookie-parser dependency: two names, read by hand). */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'outrun_session';
export const CSRF_COOKIE = 'outrun_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Cookies of a request (the first value of each name; malformed pairs ignored). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // not percent-encoded by us: ignore
    }
  }
  return out;
}

export interface CookieOptions {
  /** Secure attribute: set when the gateway is served over https. */
  secure: boolean;
}

function cookie(name: string, value: string, maxAgeSeconds: number, httpOnly: boolean, options: CookieOptions): string {
  return [`${name}=${encodeURIComponent(value)}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'SameSite=Lax', ...(httpOnly ? ['HttpOnly'] : []), ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the page, echoed in `X-CSRF-Token`). */
export function setSessionCookies(res: Response, session: { token: string; csrf: string; maxAgeMs: number }, options: CookieOptions): void {
  const age = Math.max(1, Math.floor(session.maxAgeMs / 1000));
  res.append('Set-Cookie', cookie(SESSION_COOKIE, session.token, age, true, options));
  res.append('Set-Cookie', cookie(CSRF_COOKIE, session.csrf, age, false, options));
}

export function clearSessionCookies(res: Response, options: CookieOptions): void {
  res.append('Set-Cookie', cookie(SESSION_COOKIE, '', 0, true, options));
  res.append('Set-Cookie', cookie(CSRF_COOKIE, '', 0, false, options));
}
