/**
 * The SSRF policy: which destination addresses outbound HTTP may reach.
 * Checked on the IP actually connected to (after DNS), for every connection and redirect hop.
 */
import { embeddedIpv4, formatIp, parseIp, parseRange, rangeContains, type IpAddress, type IpRange } from './ip-address';

/** Ranges blocked by default: loopback, private, link-local, CGNAT, metadata, multicast, reserved. */
export const BLOCKED_RANGES: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, includes cloud metadata 169.254.169.254
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes broadcast
  '::/128', // unspecified
  '::1/128', // loopback
  '100::/64', // discard-only
  'fc00::/7', // unique local, includes AWS metadata fd00:ec2::254
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
];
const blockedRanges: IpRange[] = BLOCKED_RANGES.map(parseRange);

/** True when the address (or the IPv4 address it embeds) is in a blocked range. */
export function isBlockedAddress(address: IpAddress): boolean {
  if (blockedRanges.some((range) => rangeContains(range, address))) return true;
  const inner = embeddedIpv4(address);
  return inner !== null && blockedRanges.some((range) => rangeContains(range, inner));
}

/** Where a connection is about to go: the URL's host name, the port, and the resolved IP. */
export interface Destination {
  hostname: string;
  port: number;
  address: IpAddress;
}

type AllowEntry =
  | { kind: 'range'; range: IpRange; port?: number }
  | { kind: 'host'; hostname: string; wildcard: boolean; port?: number };

function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return bracketed[2] ? { host: bracketed[1] ?? '', port: Number(bracketed[2]) } : { host: bracketed[1] ?? '' };
  const colons = entry.split(':').length - 1;
  const hostPort = /^(.+):(\d+)$/.exec(entry);
  // More than one colon without brackets is a bare IPv6 address, never host:port.
  if (colons === 1 && hostPort) return { host: hostPort[1] ?? '', port: Number(hostPort[2]) };
  return { host: entry };
}

/**
 * Parses one allow-list entry. Forms:
 * - `10.0.0.0/8`, `fd00::/8` — any resolved IP in the range, any port;
 * - `127.0.0.1`, `::1` — that resolved IP, any port; `127.0.0.1:8080`, `[::1]:8080` — that IP on that port only;
 * - `internal.example`, `*.corp.example`, `localhost:3000` — that URL host name (whatever it resolves to),
 *   optionally on one port. A name entry never allows a literal IP URL, and an IP entry never a different IP.
 */
export function parseAllowEntry(text: string): AllowEntry {
  const entry = text.trim().toLowerCase();
  if (entry === '') throw new Error('empty allow-list entry');
  if (entry.includes('/')) return { kind: 'range', range: parseRange(entry) };
  const { host, port } = splitPort(entry);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`bad port in ${text}`);
  const withPort = <T extends object>(value: T) => (port === undefined ? value : { ...value, port });
  if (parseIp(host)) return withPort({ kind: 'range' as const, range: parseRange(host) });
  if (!/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(host)) throw new Error(`not a host name, IP or CIDR: ${text}`);
  const wildcard = host.startsWith('*.');
  return withPort({ kind: 'host' as const, hostname: wildcard ? host.slice(1) : host, wildcard });
}

function entryMatches(entry: AllowEntry, destination: Destination): boolean {
  if (entry.port !== undefined && entry.port !== destination.port) return false;
  if (entry.kind === 'range') {
    const inner = embeddedIpv4(destination.address);
    return rangeContains(entry.range, destination.address) || (inner !== null && rangeContains(entry.range, inner));
  }
  const hostname = destination.hostname.toLowerCase().replace(/\.$/, '');
  const wanted = entry.hostname.replace(/\.$/, '');
  return entry.wildcard ? hostname.endsWith(wanted) : hostname === wanted;
}

/** A compiled policy: `check` returns why a destination is refused, or `null` when it may connect. */
export interface SsrfPolicy {
  check(destination: Destination): string | null;
}

export interface SsrfPolicyOptions {
  /** Destinations allowed even when private (see `parseAllowEntry` for the forms). @default [] */
  allowList?: readonly string[];
  /** Turns the guard off entirely (trusted single-user installs). @default false */
  allowPrivateNetwork?: boolean;
}

/** Builds the policy once (allow-list parsed up front, so a bad entry fails at startup). */
export function createSsrfPolicy(options: SsrfPolicyOptions = {}): SsrfPolicy {
  const entries = (options.allowList ?? []).map(parseAllowEntry);
  const open = options.allowPrivateNetwork ?? false;
  return {
    check(destination) {
      if (open || !isBlockedAddress(destination.address)) return null;
      if (entries.some((entry) => entryMatches(entry, destination))) return null;
      return `${destination.hostname}:${destination.port} resolves to ${formatIp(destination.address)}, a private or reserved address`;
    },
  };
}
