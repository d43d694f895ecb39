/**
 * Where a credential may be sent: its `allowedHosts`, chosen when it is created. Pure (used by the API to validate,
 * by nodes to enforce, by the web app's form).
 *
 * An entry is one of
 * - an origin `https://api.example.com` or `http://10.0.0.5:8080` — scheme, host and port must all match;
 * - a host `api.example.com` (or `api.example.com:8443`) — that host name (and port, when given), http or https;
 * - a wildcard `*.example.com` — any subdomain of example.com (not example.com itself), http or https.
 * IPv6 addresses are written in brackets (`[2001:db8::1]`). There is no "anywhere" entry.
 */
import { z } from 'zod';

const HOST = String.raw`(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\]`;
const ENTRY = new RegExp(String.raw`^(?:https?://)?(?:${HOST})(?::\d{1,5})?$`);

/** One `allowedHosts` entry (lower-cased; a trailing `/` of an origin is dropped). */
export const CredentialHost = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/\/$/, ''))
  .pipe(z.string().min(1).max(260).regex(ENTRY, 'an origin (https://api.example.com), a host (api.example.com[:port]) or a wildcard (*.example.com)'));
export type CredentialHost = z.infer<typeof CredentialHost>;

/** The hosts of one credential (at most 20). */
export const CredentialHosts = z.array(CredentialHost).max(20);

/** Credential types whose secret is sent over HTTP: `allowedHosts` is required when they are created. */
export const HTTP_CREDENTIAL_TYPES: readonly string[] = ['http_header', 'http_basic', 'http_bearer', 'openai'];

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');

function matchesEntry(entry: string, url: URL): boolean {
  if (entry.startsWith('http://') || entry.startsWith('https://')) {
    const allowed = new URL(entry);
    return allowed.protocol === url.protocol && allowed.hostname === url.hostname && (allowed.port || defaultPort(allowed.protocol)) === (url.port || defaultPort(url.protocol));
  }
  const bracket = entry.startsWith('[') ? entry.indexOf(']') : -1;
  const colon = bracket >= 0 ? entry.indexOf(':', bracket) : entry.lastIndexOf(':');
  const host = colon >= 0 ? entry.slice(0, colon) : entry;
  const port = colon >= 0 ? entry.slice(colon + 1) : undefined;
  if (port !== undefined && port !== (url.port || defaultPort(url.protocol))) return false;
  if (host.startsWith('*.')) return url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

/** True when `url` (http or https) is a destination one of `allowedHosts` permits. */
export function isHostAllowed(allowedHosts: readonly string[], url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return allowedHosts.some((entry) => matchesEntry(entry, url));
}
