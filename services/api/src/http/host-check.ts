/**
 * Embedded mode's DNS-rebinding guard on the gateway: only requests whose `Host` is a configured local name (and
 * whose `Origin`, when sent, is too or is the web app's origin) reach the API. `/webhook/*` stays open to any host
 * (senders behind tunnels; a webhook carries no key and rebinding gains nothing a plain cross-site POST does not).
 */
import type { RequestHandler } from 'express';
import { ErrorCode, isAllowedHost, isAllowedOrigin } from '@outrun/schemas';
import { errorBody } from './errors';

export interface HostCheckOptions {
  /** Accepted `Host` names (`name` any port, or `name:port`). */
  allowedHosts: readonly string[];
  /** Origins accepted besides those of allowed hosts (the web app). */
  allowedOrigins?: readonly string[];
}

/** Refuses a foreign `Host` or `Origin` with 403 `OUT_ERR_HOST_NOT_ALLOWED`. */
export function hostCheck(options: HostCheckOptions): RequestHandler {
  const origins = new Set(options.allowedOrigins ?? []);
  return (req, res, next) => {
    if (req.path.startsWith('/webhook/')) return next();
    const origin = req.get('origin');
    const hostOk = isAllowedHost(req.get('host'), options.allowedHosts);
    const originOk = origin === undefined || origins.has(origin) || isAllowedOrigin(origin, options.allowedHosts);
    if (hostOk && originOk) return next();
    res.status(403).json(errorBody(ErrorCode.HOST_NOT_ALLOWED, hostOk ? 'This Origin may not call the local API.' : 'This Host name is not a local name of this server (DNS rebinding protection); add it to OUTRUN_ALLOWED_HOSTS.'));
  };
}
