/**
 * IP address parsing and CIDR matching without I/O, for the SSRF guard.
 * Addresses are handled as byte arrays so IPv4-mapped and other embedded IPv4 forms of IPv6
 * can be unwrapped and checked against the IPv4 rules.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A parsed address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** A CIDR range such as `10.0.0.0/8` or `fc00::/7`. */
export interface IpRange {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

function parseIpv4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIpv6(text: string): Uint8Array | null {
  const withoutZone = text.split('%')[0] ?? '';
  if (!isIPv6(withoutZone)) return null;
  let head = withoutZone;
  let tailV4: Uint8Array | null = null;
  const lastColon = head.lastIndexOf(':');
  if (head.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(head.slice(lastColon + 1));
    if (!tailV4) return null;
    // Keep the colon so `::1.2.3.4` still splits into an empty head and tail.
    head = head.slice(0, lastColon + 1) + '0:0';
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = right === undefined ? leftGroups : [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  if (tailV4) bytes.set(tailV4, 12);
  return bytes;
}

/** Parses an IPv4 or IPv6 literal (brackets and zone ids allowed); `null` if it is not one. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIpv6(bare);
  return v6 ? { version: 6, bytes: v6 } : null;
}

/** Parses `address/prefix`; a bare address is a full-length range. Throws on bad input. */
export function parseRange(text: string): IpRange {
  const [addressText = '', prefixText] = text.split('/');
  const address = parseIp(addressText);
  if (!address) throw new Error(`not an IP address or CIDR range: ${text}`);
  const max = address.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
    throw new Error(`bad prefix length in ${text}`);
  }
  return { ...address, prefix };
}

/** True when `address` lies in `range` (same IP version only). */
export function rangeContains(range: IpRange, address: IpAddress): boolean {
  if (range.version !== address.version) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((range.bytes[i] ?? 0) & mask) !== ((address.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

const v4Of = (bytes: Uint8Array, offset: number): IpAddress => ({ version: 4, bytes: bytes.slice(offset, offset + 4) });
const EMBEDDED_V4_PREFIXES: Array<{ range: IpRange; offset: number }> = [
  { range: parseRange('::ffff:0:0/96'), offset: 12 }, // IPv4-mapped
  { range: parseRange('::/96'), offset: 12 }, // IPv4-compatible (deprecated)
  { range: parseRange('::ffff:0:0:0/96'), offset: 12 }, // SIIT IPv4-translated
  { range: parseRange('64:ff9b::/96'), offset: 12 }, // NAT64 well-known prefix
  { range: parseRange('64:ff9b:1::/48'), offset: 12 }, // NAT64 local-use
  { range: parseRange('2002::/16'), offset: 2 }, // 6to4
];

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(address: IpAddress): IpAddress | null {
  if (address.version !== 6) return null;
  const match = EMBEDDED_V4_PREFIXES.find((entry) => rangeContains(entry.range, address));
  return match ? v4Of(address.bytes, match.offset) : null;
}

/** Canonical text of an address (for error messages and logs). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4) return Array.from(address.bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((address.bytes[i] ?? 0) << 8) | (address.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}
