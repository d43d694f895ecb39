/**
 * Signed approval links: `<claims>.<mac>`, both base64url; the mac is HMAC-SHA256 over the claims with a key
 * derived from the instance secret. A link names one workspace, run, step and decision, and expires with the
 * approval's deadline. Single use comes from the run itself: a decision is a compare-and-set on what the run
 * waits for, so a second click finds nothing to decide (409).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const ApprovalLinkClaims = z.strictObject({
  ws: z.string().min(1).max(200),
  run: z.string().min(1).max(200),
  step: z.string().min(1).max(200),
  d: z.enum(['approve', 'reject']),
  /** Expiry, epoch ms. */
  exp: z.number().int(),
});
export type ApprovalLinkClaims = z.infer<typeof ApprovalLinkClaims>;

/** The link key, derived from the instance secret (OUTRUN_ENCRYPTION_KEY) so it is never the secret itself. */
export const approvalLinkKey = (secret: string): Buffer => createHmac('sha256', secret).update('outrun approval links v1').digest();

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signApprovalLink(key: Buffer, claims: ApprovalLinkClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The claims of a valid, unexpired token, or a reason why not. */
export function verifyApprovalLink(key: Buffer, token: string, now: number): { ok: true; claims: ApprovalLinkClaims } | { ok: false; reason: string } {
  if (token.length > 2000) return { ok: false, reason: 'malformed link' };
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed link' };
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed link' };
  }
  const claims = ApprovalLinkClaims.safeParse(parsed);
  if (!claims.success) return { ok: false, reason: 'malformed link' };
  if (claims.data.exp <= now) return { ok: false, reason: 'the link has expired' };
  return { ok: true, claims: claims.data };
}
