/**
 * DNS-rebinding defence for the local (embedded) stack: a page on `attacker.example` whose name is rebound to
 * 127.0.0.1 reaches the local servers with `Host: attacker.example` (and `Origin: http://attacker.example`), so
 * the web app and the gateway accept only the host names configured as local. Pure: used by the gateway's
 * middleware and the web app's proxy.
 */

/** The names a local stack is always reachable as (any port). */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Splits `name[:port]` (IPv6 in brackets); lower-cased. */
function splitHost(host: string): { name: string; port: string | undefined } {
  const h = host.trim().toLowerCase();
  const end = h.startsWith('[') ? h.indexOf(']') + 1 : 0;
  const colon = h.indexOf(':', end);
  return colon >= 0 ? { name: h.slice(0, colon), port: h.slice(colon + 1) } : { name: h, port: undefined };
}

/**
 * True when a `Host` header names one of `allowed`: entries are `name` (any port) or `name:port`.
 * A missing or empty header is refused.
 */
export function isAllowedHost(hostHeader: string | undefined | null, allowed: readonly string[]): boolean {
  if (!hostHeader) return false;
  const given = splitHost(hostHeader);
  return allowed.some((entry) => {
    const want = splitHost(entry);
    return want.name === given.name && (want.port === undefined || want.port === given.port);
  });
}

/** True when an `Origin` header is an http(s) origin whose host is allowed. `null` (opaque) is refused. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isAllowedHost(url.host, allowed);
}

/** `OUTRUN_ALLOWED_HOSTS`-style text (`a, b:8080`) → entries, always with the loopback names. */
export function localHosts(extra: string | undefined): string[] {
  const listed = (extra ?? '').split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  return [...new Set([...LOOPBACK_HOSTS, ...listed])];
}
