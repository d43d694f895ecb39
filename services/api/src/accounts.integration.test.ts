/**
 * People end to end over HTTP with a real SMTP server: the first sign-up owns the instance (and the existing
 * workspace, workflows kept), sign-up then closes, an invitation travels by email and its link is followed,
 * the invitee sees only what a viewer may, sign-in locks out after repeated failures, password reset by email
 * signs out every session, and the owner reads all of it in the audit log (JSON lines too) without a secret in it.
 */
import { startTestSmtpServer, firstLink, type TestSmtpServer } from '@outrun/testing/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';
import { cookieClient } from '../test/cookie-client';
import { createSmtpMailer } from './logic/accounts/mailer';

let h: ApiHarness;
let smtp: TestSmtpServer;
const OWNER_PASSWORD = 'correct horse battery staple';
const BOB_PASSWORD = 'bob-likes-long-passwords';

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  h = await startApi({ accounts: { mailer: createSmtpMailer({ smtpUrl: smtp.url, from: 'outrun@example.com' }), appBaseUrl: 'http://app.example.test' } });
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

const code = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

describe('accounts over HTTP', () => {
  it('owner signs up, invites by email; the invitee joins as viewer and sees only what a viewer may; the audit log shows it', async () => {
    const existing = await h.api.createWorkflow(h.ws, simpleWorkflow('kept', 'manual-kept'));
    const owner = cookieClient(h.baseUrl);
    expect((await owner.request('GET', '/api/auth/status')).body).toMatchObject({ hasUsers: false, mail: true });
    const signUp = await owner.request('POST', '/api/auth/sign-up', { email: 'Owner@Example.com', password: OWNER_PASSWORD, name: 'Olive' });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toMatchObject({ user: { email: 'owner@example.com', instanceOwner: true }, workspaces: [{ workspace: { id: h.ws }, role: 'owner' }] });
    const sessionCookie = owner.lastSetCookie.find((c) => c.startsWith('outrun_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).not.toMatch(/Secure/); // http here; https app URLs get Secure
    // the existing workspace and its workflow are the owner's now
    expect(((await owner.request('GET', `/api/workspaces/${h.ws}/workflows`)).body as { items: Array<{ id: string }> }).items.map((w) => w.id)).toContain(existing.id);

    const stranger = cookieClient(h.baseUrl);
    const closed = await stranger.request('POST', '/api/auth/sign-up', { email: 'eve@example.com', password: 'eve-password-123' });
    expect([closed.status, code(closed.body)]).toEqual([403, 'OUT_ERR_SIGN_UP_CLOSED']);

    const invite = await owner.request('POST', `/api/workspaces/${h.ws}/invitations`, { email: 'bob@example.com', role: 'viewer' });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ emailed: true, invitation: { email: 'bob@example.com', role: 'viewer' } });
    expect(JSON.stringify(invite.body)).not.toContain('token=');
    const mail = await smtp.waitFor('bob@example.com');
    expect(mail.raw).toContain('Subject: You are invited to first on Outrun');
    const link = new URL(firstLink(mail));
    expect(link.origin + link.pathname).toBe('http://app.example.test/accept-invitation');
    const token = link.searchParams.get('token')!;

    const bob = cookieClient(h.baseUrl);
    const accepted = await bob.request('POST', '/api/auth/invitations/accept', { token, email: link.searchParams.get('email'), password: BOB_PASSWORD, name: 'Bob' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { email: 'bob@example.com', instanceOwner: false }, workspaces: [{ role: 'viewer' }] });
    const again = await cookieClient(h.baseUrl).request('POST', '/api/auth/invitations/accept', { token, email: 'bob@example.com', password: BOB_PASSWORD });
    expect([again.status, code(again.body)]).toEqual([400, 'OUT_ERR_LINK_INVALID']);

    // a viewer reads, and nothing else
    expect((await bob.request('GET', `/api/workspaces/${h.ws}/workflows`)).status).toBe(200);
    const write = await bob.request('POST', `/api/workspaces/${h.ws}/workflows`, simpleWorkflow('nope', 'manual-nope'));
    expect([write.status, code(write.body)]).toEqual([403, 'OUT_ERR_FORBIDDEN']);
    expect((await bob.request('GET', `/api/workspaces/${h.ws}/credentials`)).status).toBe(403);
    expect((await bob.request('GET', `/api/workspaces/${h.ws}/audit`)).status).toBe(403);
    expect((await bob.request('POST', `/api/workspaces/${h.ws}/invitations`, { email: 'x@example.com', role: 'viewer' })).status).toBe(403);
    const members = (await bob.request('GET', `/api/workspaces/${h.ws}/members`)).body as { items: Array<{ email: string; role: string }> };
    expect(members.items.map((m) => [m.email, m.role])).toEqual([['owner@example.com', 'owner'], ['bob@example.com', 'viewer']]);

    // sign out, then in with the password
    expect((await bob.request('POST', '/api/auth/sign-out')).status).toBe(204);
    expect((await bob.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await bob.request('POST', '/api/auth/sign-in', { email: 'BOB@example.com', password: BOB_PASSWORD })).status).toBe(200);
    expect((await bob.request('GET', '/api/auth/me')).body).toMatchObject({ user: { email: 'bob@example.com' } });

    // the owner sees both actions (and the sign-in) in the audit log, filtered and exported
    const log = (await owner.request('GET', `/api/workspaces/${h.ws}/audit`)).body as { items: Array<{ action: string; actor: { label?: string }; ip?: string }> };
    const actions = log.items.map((e) => `${e.action} by ${e.actor.label}`);
    expect(actions).toEqual(expect.arrayContaining(['member.invited by owner@example.com', 'member.joined by bob@example.com', 'auth.signed_in by bob@example.com', 'workflow.created by ' + (log.items.find((e) => e.action === 'workflow.created')?.actor.label ?? '')]));
    expect(log.items.every((e) => e.ip !== undefined)).toBe(true);
    const onlyBob = (await owner.request('GET', `/api/workspaces/${h.ws}/audit?actor=bob@example.com`)).body as { items: Array<{ actor: { label?: string } }> };
    expect(onlyBob.items.length).toBeGreaterThanOrEqual(2);
    expect(onlyBob.items.every((e) => e.actor.label === 'bob@example.com')).toBe(true);
    const invited = (await owner.request('GET', `/api/workspaces/${h.ws}/audit?action=member.invited`)).body as { items: unknown[] };
    expect(invited.items).toHaveLength(1);
    const exported = await owner.request('GET', `/api/workspaces/${h.ws}/audit/export`);
    expect(exported.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = String(exported.body).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBe(log.items.length);
    for (const secret of [token, OWNER_PASSWORD, BOB_PASSWORD, owner.cookies.get('outrun_session')!]) expect(String(exported.body)).not.toContain(secret);
  });

  it('members: role changes are audited; admins cannot touch owners; the last owner stays', async () => {
    const owner = cookieClient(h.baseUrl);
    expect((await owner.request('POST', '/api/auth/sign-in', { email: 'owner@example.com', password: OWNER_PASSWORD })).status).toBe(200);
    const members = ((await owner.request('GET', `/api/workspaces/${h.ws}/members`)).body as { items: Array<{ email: string; userId: string }> }).items;
    const bobId = members.find((m) => m.email === 'bob@example.com')!.userId;
    const ownerId = members.find((m) => m.email === 'owner@example.com')!.userId;
    expect((await owner.request('PATCH', `/api/workspaces/${h.ws}/members/${bobId}`, { role: 'admin' })).status).toBe(200);
    const bob = cookieClient(h.baseUrl);
    await bob.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: BOB_PASSWORD });
    const demoteOwner = await bob.request('PATCH', `/api/workspaces/${h.ws}/members/${ownerId}`, { role: 'viewer' });
    expect([demoteOwner.status, code(demoteOwner.body)]).toEqual([403, 'OUT_ERR_FORBIDDEN']);
    expect((await bob.request('POST', `/api/workspaces/${h.ws}/invitations`, { email: 'o2@example.com', role: 'owner' })).status).toBe(403);
    const last = await owner.request('PATCH', `/api/workspaces/${h.ws}/members/${ownerId}`, { role: 'admin' });
    expect(last.status).toBe(409);
    expect((await owner.request('PATCH', `/api/workspaces/${h.ws}/members/${bobId}`, { role: 'editor' })).status).toBe(200);
    const log = (await owner.request('GET', `/api/workspaces/${h.ws}/audit?action=member.role_changed`)).body as { items: Array<{ details: Record<string, string> }> };
    expect(log.items.map((e) => `${e.details.from}→${e.details.to}`)).toEqual(['admin→editor', 'viewer→admin']);
  });

  it('sign-in locks out after repeated failures (per account), and failed sign-ins are audited', async () => {
    const c = cookieClient(h.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await c.request('POST', '/api/auth/sign-in', { email: 'owner@example.com', password: `wrong-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const locked = await c.request('POST', '/api/auth/sign-in', { email: 'owner@example.com', password: OWNER_PASSWORD });
    expect([locked.status, code(locked.body)]).toEqual([429, 'OUT_ERR_SIGN_IN_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await c.request('POST', '/api/auth/sign-in', { email: 'owner@example.com', password: OWNER_PASSWORD })).status).toBe(200);
    const failed = (await c.request('GET', `/api/workspaces/${h.ws}/audit?action=auth.sign_in_failed`)).body as { items: Array<{ actor: { type: string; label: string } }> };
    expect(failed.items).toHaveLength(6);
    expect(failed.items[0]!.actor).toMatchObject({ type: 'anonymous', label: 'owner@example.com' });
  });

  it('password reset by email: single-use link, every session signed out, the new password works', async () => {
    const bob = cookieClient(h.baseUrl);
    await bob.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: BOB_PASSWORD });
    expect((await bob.request('GET', '/api/auth/me')).status).toBe(200);
    const before = smtp.messages.length;
    expect((await cookieClient(h.baseUrl).request('POST', '/api/auth/password-reset', { email: 'bob@example.com' })).status).toBe(202);
    expect((await cookieClient(h.baseUrl).request('POST', '/api/auth/password-reset', { email: 'nobody@example.com' })).status).toBe(202);
    for (let i = 0; i < 50 && smtp.messages.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    const mail = smtp.messages.slice(before).find((m) => m.to.includes('bob@example.com'))!;
    expect(smtp.messages.slice(before).some((m) => m.to.includes('nobody@example.com'))).toBe(false);
    const link = new URL(firstLink(mail));
    expect(link.pathname).toBe('/reset-password');
    const token = link.searchParams.get('token')!;
    const anon = cookieClient(h.baseUrl);
    expect((await anon.request('POST', '/api/auth/password-reset/confirm', { token, password: 'bob-new-password-1' })).status).toBe(204);
    expect((await anon.request('POST', '/api/auth/password-reset/confirm', { token, password: 'bob-new-password-2' })).status).toBe(400);
    expect((await bob.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await bob.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: BOB_PASSWORD })).status).toBe(401);
    expect((await bob.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: 'bob-new-password-1' })).status).toBe(200);
  });

  it('sign out everywhere ends every session of the person', async () => {
    const a = cookieClient(h.baseUrl);
    const b = cookieClient(h.baseUrl);
    await a.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: 'bob-new-password-1' });
    await b.request('POST', '/api/auth/sign-in', { email: 'bob@example.com', password: 'bob-new-password-1' });
    const out = await a.request('POST', '/api/auth/sign-out-everywhere');
    expect(out.status).toBe(200);
    expect((out.body as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    expect((await b.request('GET', '/api/auth/me')).status).toBe(401);
  });
});
