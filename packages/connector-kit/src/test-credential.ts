/** Runs a credential type's `test` function against the service (the API's "Test" button). */
import type { HttpClient } from '@outrun/engine';
import { ErrorCode, UserError } from '@outrun/schemas';
import type { Connector } from './define-connector';
import { parseCredential } from './credential';
import { redactText, secretValues } from './redact';
import { checkCredentialHosts, type NetworkGuard } from './network-guard';

export interface CredentialTestResult {
  ok: boolean;
  /** Why it failed, secrets redacted. */
  message?: string;
}

/** `type` is `connector.key` (e.g. `postgres.connection`). Times out after `timeoutMs`. */
export async function testCredential(connectors: readonly Connector[], type: string, data: unknown, options: { http?: HttpClient; timeoutMs?: number; networkGuard?: NetworkGuard } = {}): Promise<CredentialTestResult> {
  const [name, key] = type.split('.');
  const definition = connectors.find((c) => c.name === name)?.credentials[key ?? ''];
  if (!definition) throw new UserError(ErrorCode.CONNECTOR_NOT_INSTALLED, `No installed connector declares the credential type "${type}".`, 400, { details: [{ path: 'type', message: 'unknown credential type' }] });
  const credential = parseCredential(data, definition, type);
  if (!definition.test) return { ok: true, message: 'This credential type has no test; its fields are valid.' };
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    await checkCredentialHosts(definition, credential, options.networkGuard);
    await definition.test(credential, { signal, ...(options.http ? { http: options.http } : {}) });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: redactText(err instanceof Error ? err.message : String(err), secretValues(credential, definition.secretFields)) };
  }
}
