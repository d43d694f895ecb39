/**
 * The outbound policy for connectors that open their own sockets (databases, brokers, SMTP): the host a credential
 * names is resolved and every address checked with the HTTP client's SSRF policy (private, loopback, link-local,
 * metadata and reserved ranges refused unless allow-listed with OUTRUN_HTTP_ALLOW_LIST). A workspace member who can
 * write a credential cannot point a step or a listener source at the instance's own network.
 *
 * Checked before each connect; the driver then resolves the name again, so a DNS answer that changes in between is
 * not caught here (use IP addresses or a network policy where that matters).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { createSsrfPolicy, parseIp } from '@outrun/nodes';
import type { CredentialTypeDefinition } from './types';

export type AddressResolver = (hostname: string) => Promise<Array<{ address: string }>>;

export interface NetworkGuardOptions {
  /** Destinations allowed even when private: `host`, `host:port`, `ip`, `ip:port`, CIDR (as OUTRUN_HTTP_ALLOW_LIST). */
  allowList?: readonly string[];
  /** Turns the check off (trusted single-user installs). @default false */
  allowPrivateNetwork?: boolean;
  resolve?: AddressResolver;
}

/** Throws `OUT_ERR_SSRF_BLOCKED` (not retried) when `host:port` may not be reached. */
export type NetworkGuard = (host: string, port: number) => Promise<void>;

const defaultResolve: AddressResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export function createNetworkGuard(options: NetworkGuardOptions = {}): NetworkGuard {
  const policy = createSsrfPolicy({ allowList: [...(options.allowList ?? [])], allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  const resolve = options.resolve ?? defaultResolve;
  return async (host, port) => {
    const hostname = host.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string }>;
    try {
      addresses = isIP(hostname) ? [{ address: hostname }] : await resolve(hostname);
    } catch {
      return; // Unresolvable: the driver's own connect fails with its error.
    }
    for (const { address } of addresses) {
      const ip = parseIp(address);
      const refusal = ip ? policy.check({ hostname, port, address: ip }) : `${hostname} resolves to an unparseable address ${address}`;
      if (refusal) throw new NonRetriableError(ErrorCode.SSRF_BLOCKED, `Connection refused by the outbound policy: ${refusal} (allow it with OUTRUN_HTTP_ALLOW_LIST)`);
    }
  };
}

/** Checks every host a credential names (its type's `hosts`); no guard or no `hosts` → nothing to check. */
export async function checkCredentialHosts(definition: CredentialTypeDefinition, credential: unknown, guard: NetworkGuard | undefined): Promise<void> {
  if (!guard || !definition.hosts) return;
  for (const { host, port } of definition.hosts(credential)) await guard(host, port);
}

/** `host:port` (or `[v6]:port`, or a bare host with `defaultPort`), as NATS server lists write them. */
export function splitHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const bare = text.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').replace(/^[^@]*@/, '');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(bare);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  const [host, port] = bare.split(':');
  return { host: host ?? bare, port: port ? Number(port) : defaultPort };
}
