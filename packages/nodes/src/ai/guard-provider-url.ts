/**
 * SSRF check of a provider base URL that came from a credential (workspace users write credentials; the
 * operator's own `services.ai.baseURL` is trusted). Same policy as the nodes' HTTP client: private and
 * reserved addresses are refused unless allow-listed (`services.ai.allowList`, e.g. `localhost:11434` for Ollama).
 *
 * Checked on the resolved addresses before the step's first call. The openai client then connects on its
 * own, so a DNS answer that changes between check and connect is not caught: allow-list names you control.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { parseIp } from '../http/ip-address';
import { createSsrfPolicy } from '../http/ssrf-policy';
import type { AiServices, ResolvedAiProvider } from './ai-provider';

/** Resolves a host name to its addresses (injectable in tests). */
export type AddressResolver = (hostname: string) => Promise<Array<{ address: string }>>;

const defaultResolve: AddressResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Throws `OUT_ERR_SSRF_BLOCKED` when a credential's base URL resolves only to refused addresses. */
export async function guardProviderUrl(provider: ResolvedAiProvider, ai: AiServices, resolve: AddressResolver = defaultResolve): Promise<void> {
  if (provider.source === 'services') return;
  const url = new URL(provider.baseURL);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const policy = createSsrfPolicy({ allowList: ai.allowList ?? [], allowPrivateNetwork: ai.allowPrivateNetwork ?? false });
  let addresses: Array<{ address: string }>;
  try {
    addresses = isIP(hostname) ? [{ address: hostname }] : await resolve(hostname);
  } catch {
    return; // Unresolvable: the client's own connect fails with a provider error.
  }
  const reasons = addresses.map(({ address }) => {
    const ip = parseIp(address);
    return ip ? policy.check({ hostname: url.hostname, port, address: ip }) : `unparseable address ${address}`;
  });
  const refusal = reasons.find((r) => r !== null);
  if (reasons.every((r) => r !== null) && refusal) {
    throw new NonRetriableError(ErrorCode.SSRF_BLOCKED, `AI provider base URL refused: ${refusal} (allow it with the runner's AI allow list)`);
  }
}
