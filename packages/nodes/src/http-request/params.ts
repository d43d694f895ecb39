/** Parameters of the `http-request` node. */
import { z } from 'zod';
import { JsonValue } from '@outrun/schemas';

const isHttpUrlOrTemplate = (value: string): boolean => {
  if (value.includes('{{')) return true; // checked again after templates are evaluated
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name');
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export const HttpRequestParams = z
  .strictObject({
    method: HttpMethod.default('GET').describe('HTTP method'),
    url: z.string().min(1).max(8192).refine(isHttpUrlOrTemplate, 'must be an http:// or https:// URL').describe('URL to call (http or https)'),
    headers: z.record(HeaderName, z.string()).default({}).describe('Request headers'),
    query: z.record(z.string(), Scalar).default({}).describe('Query parameters added to the URL (replace ones already in it)'),
    bodyType: z.enum(['none', 'json', 'text', 'form']).default('none').describe('How to send `body`: JSON, plain text, URL-encoded form, or no body'),
    body: JsonValue.optional().describe('Request body: any JSON (json), a string (text) or an object of scalars (form)'),
    timeout: z.number().int().min(1).max(300_000).default(30_000).describe('Total time allowed, redirects included, in ms'),
    responseType: z.enum(['auto', 'json', 'text']).default('auto').describe('auto: JSON when the response says so, else text'),
    credentialId: z.string().min(1).optional().describe('Credential to authenticate with (types http_header, http_bearer, http_basic)'),
    failOnStatus: z.boolean().default(true).describe('Fail the step on status >= 400 (5xx and 429 are retried)'),
  })
  .superRefine((p, issue) => {
    const body = p.body;
    if (p.bodyType === 'text' && body !== undefined && typeof body !== 'string') {
      issue.addIssue({ code: 'custom', path: ['body'], message: 'must be a string when bodyType is text' });
    }
    if (p.bodyType === 'form' && body !== undefined) {
      const ok = body !== null && typeof body === 'object' && !Array.isArray(body) && Object.values(body).every((v) => Scalar.safeParse(v).success);
      if (!ok) issue.addIssue({ code: 'custom', path: ['body'], message: 'must be an object of strings, numbers or booleans when bodyType is form' });
    }
  });
export type HttpRequestParams = z.infer<typeof HttpRequestParams>;

/** The credential data shapes the node understands (`type` is optional: the shape decides). */
export const HttpCredential = z.union([
  z.object({ type: z.literal('http_header').optional(), name: HeaderName, value: z.string() }),
  z.object({ type: z.literal('http_bearer').optional(), token: z.string().min(1) }),
  z.object({ type: z.literal('http_basic').optional(), username: z.string(), password: z.string() }),
]);
export type HttpCredential = z.infer<typeof HttpCredential>;
