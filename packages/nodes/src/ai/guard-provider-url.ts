/**
 * SSRF check of a provider base URL that came from a credential (workspace users write credentials; the
 * operator's own `services.ai.baseURL` is trusted). Same policy as the nodes' HTTP client: private and
 * reserved addresses are refused unless allow-listed (`services.ai.allowList`, e.g. `localhost:11434` for Ollama).
 *
 * Checked on the resolved addresses before the step's first call, for a clear early error. The client itself then
 * connects through `providerFetch` (the guarded connector: every connect and every redirect hop is checked again,
 * so neither a DNS answer that changes nor a 307/303 to an internal address gets through).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { parseIp } from '../http/ip-address';
import { createSsrfPolicy } from '../http/ssrf-policy';
import { createGuardedFetch, type GuardedFetch } from '../http/create-guarded-fetch';
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

/**
 * The fetch a step's openai client uses: for a credential's provider, the SSRF-guarded one (close it after the
 * step); for the operator's own `services.ai` provider, undefined (the SDK's fetch: that URL is trusted).
 */
export function providerFetch(provider: ResolvedAiProvider, ai: AiServices): GuardedFetch | undefined {
  if (provider.source === 'services') return undefined;
  return createGuardedFetch({ allowList: ai.allowList ?? [], allowPrivateNetwork: ai.allowPrivateNetwork ?? false, sensitiveHeaders: ['api-key', 'openai-organization', 'openai-project'] });
}
