/** Loading a step's credential: decrypted from the store only here, parsed with the connector's schema. */
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';
import type { CredentialTypeDefinition } from './types';

export async function loadCredential(services: NodeServices, credentialId: string | undefined, type: CredentialTypeDefinition, label: string): Promise<unknown> {
  if (!credentialId) throw new NonRetriableError(ErrorCode.CONNECTOR_CREDENTIAL, `${label}: pick a ${type.label} credential (credentialId is empty).`, { details: [{ path: 'credentialId', message: 'required' }] });
  const data = await services.credentials?.get(credentialId);
  if (!data) throw new NonRetriableError(ErrorCode.CONNECTOR_CREDENTIAL, `${label}: credential "${credentialId}" does not exist in this workspace.`, { details: [{ path: 'credentialId', message: 'not found' }] });
  return parseCredential(data, type, label);
}

/** Parses credential data; the error names failing fields, never their values. */
export function parseCredential(data: unknown, type: CredentialTypeDefinition, label: string): unknown {
  const parsed = type.schema.safeParse(data);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ path: `credential.${issue.path.join('.')}`, message: issue.message }));
    throw new NonRetriableError(ErrorCode.CONNECTOR_CREDENTIAL, `${label}: the credential is not a valid ${type.label} (${details.map((d) => d.path).join(', ')}).`, { details });
  }
  return parsed.data;
}
