/**
 * Turns a credential's decrypted data into request headers for the agent's HTTP tool, with the same
 * credential shapes as the `http-request` node (`HttpCredential`: header, bearer, basic).
 */
import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';
import { HttpCredential } from '../http-request/params';

/** Headers for `data`, or a non-retriable error naming the credential when it is not an HTTP credential. */
export function credentialHeaders(credentialId: string, data: Record<string, JsonValue>): Record<string, string> {
  const parsed = HttpCredential.safeParse(data);
  if (!parsed.success) {
    throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${credentialId} is not an HTTP credential (http_header, http_bearer or http_basic)`);
  }
  const c = parsed.data;
  if ('name' in c) return { [c.name.toLowerCase()]: c.value };
  if ('token' in c) return { authorization: `Bearer ${c.token}` };
  return { authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` };
}
