/**
 * A credential is only ever attached to a request for a destination its `allowedHosts` permit (chosen when it was
 * created), whatever URL a workflow author writes: otherwise any API key holder could send a workspace secret
 * to a server of their own and read it back from the run.
 */
import { ErrorCode, NonRetriableError, isHostAllowed } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';

/** How to fix a refusal, named in every error. */
const HOW = 'add the destination to the credential\'s allowed hosts (PATCH /api/workspaces/:ws/credentials/:credentialId {"allowedHosts": [...]})';

/**
 * Throws `OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED` (not retried) unless `url` is one of the credential's allowed hosts.
 * `fallback` stands in for an empty list (credentials created before hosts existed; see `resolveAiProvider`).
 */
export async function assertCredentialHost(services: NodeServices, credentialId: string, url: URL, path: string, fallback: readonly string[] = []): Promise<void> {
  const listed = services.credentials ? await services.credentials.allowedHosts(credentialId) : null;
  if (listed === null) {
    throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${credentialId} not found in this workspace`, { details: [{ path: 'credentialId', message: 'credential not found' }] });
  }
  const allowed = listed.length > 0 ? listed : fallback;
  if (isHostAllowed(allowed, url)) return;
  const where = allowed.length === 0 ? 'it has no allowed hosts yet' : `it may only be sent to ${allowed.join(', ')}`;
  throw new NonRetriableError(ErrorCode.CREDENTIAL_HOST_NOT_ALLOWED, `Credential ${credentialId} may not be sent to ${url.origin}: ${where}; ${HOW}`, {
    details: [{ path, message: `${url.origin} is not an allowed host of credential ${credentialId}` }],
  });
}
