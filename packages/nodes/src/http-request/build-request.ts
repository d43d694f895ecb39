/** Turns `http-request` params (and a credential) into the request the HTTP client sends. */
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import type { NodeContext } from '@outrun/engine';
import type { GuardedHttpRequest } from '../http/create-http-client';
import { assertCredentialHost } from '../shared/credential-host';
import { HttpCredential, type HttpRequestParams } from './params';

function buildUrl(params: HttpRequestParams): string {
  let url: URL;
  try {
    url = new URL(params.url);
  } catch {
    throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Invalid URL: ${params.url}`, { details: [{ path: 'url', message: 'not a valid URL' }] });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Only http and https URLs are allowed: ${params.url}`, { details: [{ path: 'url', message: 'must be http or https' }] });
  }
  for (const [key, value] of Object.entries(params.query)) url.searchParams.set(key, String(value));
  return url.toString();
}

function buildBody(params: HttpRequestParams): { body?: string; contentType?: string } {
  const body = params.body;
  switch (params.bodyType) {
    case 'none':
      return {};
    case 'json':
      return { body: JSON.stringify(body ?? null), contentType: 'application/json' };
    case 'text':
      return { body: typeof body === 'string' ? body : '', contentType: 'text/plain; charset=utf-8' };
    case 'form': {
      const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
      const form = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
      return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
  }
}

/** Reads the credential and returns the headers it adds (their names are stripped on cross-origin redirects). */
async function credentialHeaders(ctx: NodeContext<HttpRequestParams>, url: string): Promise<Record<string, string>> {
  const id = ctx.params.credentialId;
  if (id === undefined) return {};
  await assertCredentialHost(ctx.services, id, new URL(url), 'url');
  const data = ctx.services.credentials ? await ctx.services.credentials.get(id) : null;
  if (data === null) {
    throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${id} not found in this workspace`, { details: [{ path: 'credentialId', message: 'credential not found' }] });
  }
  const parsed = HttpCredential.safeParse(data);
  if (!parsed.success) {
    throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${id} is not an HTTP credential (http_header, http_bearer or http_basic)`, {
      details: [{ path: 'credentialId', message: 'wrong credential type' }],
    });
  }
  const credential = parsed.data;
  if ('name' in credential) return { [credential.name.toLowerCase()]: credential.value };
  if ('token' in credential) return { authorization: `Bearer ${credential.token}` };
  return { authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` };
}

const lowerKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The full outbound request: URL with query, body, headers (content type, idempotency key, credential). */
export async function buildRequest(ctx: NodeContext<HttpRequestParams>): Promise<GuardedHttpRequest> {
  const params = ctx.params;
  const { body, contentType } = buildBody(params);
  const url = buildUrl(params);
  const credential = await credentialHeaders(ctx, url);
  const headers: Record<string, string> = {
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
    'idempotency-key': ctx.idempotencyKey,
    ...lowerKeys(params.headers),
    ...credential,
  };
  return {
    method: params.method,
    url,
    headers,
    ...(body === undefined ? {} : { body }),
    timeoutMs: params.timeout,
    signal: ctx.signal,
    sensitiveHeaders: Object.keys(credential),
  };
}
