/**
 * Single sign-on against a real OpenID Connect provider (`oidc-provider`) started here, through the real
 * `openid-client` over HTTP, following every redirect like a browser: sign in, first-time provisioning with the
 * default role, a role from a group, a tampered `state`, an expired code, a code issued to another client, and an
 * ID token signed for another client (wrong audience) swapped in at the token endpoint. The web app's origin is
 * `http://app.test`; its `/gateway` proxy is played by rewriting it here. (The same in Chromium: apps/web/test/oidc.e2e.test.ts.)
 */
import { startTestOidcProvider, type TestOidcProvider } from '@outrun/testing/oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

const APP = 'http://app.test';
const REDIRECT = `${APP}/gateway/api/auth/oidc/callback`;
let h: ApiHarness;
let idp: TestOidcProvider;

beforeAll(async () => {
  idp = await startTestOidcProvider({
    clients: [
      { clientId: 'outrun', clientSecret: 'outrun-client-secret-0123456789', redirectUri: REDIRECT },
      { clientId: 'intruder', clientSecret: 'intruder-client-secret-0123456', redirectUri: REDIRECT },
    ],
    accounts: {
      alice: { email: 'alice@corp.example', name: 'Alice', groups: ['staff'] },
      dev: { email: 'dev@corp.example', groups: ['developers', 'staff'] },
      boss: { email: 'boss@corp.example', groups: ['platform-admins'] },
    },
  });
  h = await startApi({
    accounts: {
      appBaseUrl: APP,
      oidc: { issuer: idp.issuer, clientId: 'outrun', clientSecret: 'outrun-client-secret-0123456789', workspaceId: null, defaultRole: 'viewer', groupsClaim: 'groups', groupRoles: { developers: 'editor', 'platform-admins': 'admin' }, allowInsecure: true },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await idp?.close();
});

/** A browser: one cookie jar, follows redirects by hand; `http://app.test/gateway` is the gateway (the web proxy's job). */
function browser(accept = '*/*') {
  const jar = new Map<string, string>();
  const toGateway = (url: string) => (url.startsWith(`${APP}/gateway/`) ? h.baseUrl + url.slice(`${APP}/gateway`.length) : url);
  async function get(url: string): Promise<Response> {
    const res = await fetch(toGateway(url), { redirect: 'manual', headers: { accept, ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }
  /** Follows redirects from `url` until one points at `stopAt` (returned, not followed) or a non-redirect answer. */
  async function follow(url: string, stopAt?: string): Promise<{ url: string; res: Response | null }> {
    let current = url;
    for (let i = 0; i < 15; i++) {
      if (stopAt && current.startsWith(stopAt)) return { url: current, res: null };
      const res = await get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { url: current, res };
      current = new URL(location, toGateway(current)).href;
    }
    throw new Error('too many redirects');
  }
  return { jar, get, follow };
}

async function signInAs(account: string): Promise<{ b: ReturnType<typeof browser>; final: Response }> {
  idp.loginAs(account);
  const b = browser();
  const { res } = await b.follow(`${h.baseUrl}/api/auth/oidc/start?returnTo=/workflows`, `${APP}/workflows`);
  expect(res).toBeNull();
  const me = await b.get(`${h.baseUrl}/api/auth/me`);
  return { b, final: me };
}

describe('single sign-on (OpenID Connect)', () => {
  it('signs in, provisions a first-time person with the default role, and maps groups to roles', async () => {
    // the gateway provisions into a workspace only when configured: point it at the harness workspace
    const oidc = (h.deps.accounts as { oidc: { workspaceId: string | null } }).oidc;
    oidc.workspaceId = h.ws;
    const { final } = await signInAs('alice');
    expect(final.status).toBe(200);
    expect(await final.json()).toMatchObject({ user: { email: 'alice@corp.example', name: 'Alice' }, workspaces: [{ workspace: { id: h.ws }, role: 'viewer' }] });
    const dev = await signInAs('dev');
    expect(await dev.final.json()).toMatchObject({ workspaces: [{ role: 'editor' }] });
    const boss = await signInAs('boss');
    expect(await boss.final.json()).toMatchObject({ workspaces: [{ role: 'admin' }] });
    // a second sign-in finds the same person (no duplicate user)
    await signInAs('alice');
    const members = await h.temp.store.accounts.listMembers(h.ws);
    expect(members.filter((m) => m.email === 'alice@corp.example')).toHaveLength(1);
    const log = await h.temp.store.accounts.listAudit(h.ws, { action: 'member.joined' });
    expect(log.items.map((e) => e.actor.label).sort()).toEqual(['alice@corp.example', 'boss@corp.example', 'dev@corp.example']);
  });

  it('a tampered state is refused', async () => {
    idp.loginAs('alice');
    const b = browser();
    const { url } = await b.follow(`${h.baseUrl}/api/auth/oidc/start`, REDIRECT);
    const tampered = new URL(url);
    tampered.searchParams.set('state', 'attacker-state');
    const res = await b.get(tampered.href);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_OIDC_FAILED');
    expect(b.jar.has('outrun_session')).toBe(false);
  });

  it('an expired code is refused', async () => {
    idp.loginAs('alice');
    idp.setCodeTtlSeconds(1);
    try {
      const b = browser();
      const { url } = await b.follow(`${h.baseUrl}/api/auth/oidc/start`, REDIRECT);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await b.get(url);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Single sign-on failed/);
      expect(b.jar.has('outrun_session')).toBe(false);
    } finally {
      idp.setCodeTtlSeconds(60);
    }
  });

  it('a code issued to another client (another audience) is refused', async () => {
    idp.loginAs('alice');
    const b = browser();
    // start at the gateway (its state, nonce and PKCE cookie), then send the browser to the provider as "intruder"
    const start = await b.get(`${h.baseUrl}/api/auth/oidc/start`);
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('client_id', 'intruder');
    const { url } = await b.follow(authorize.href, REDIRECT);
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
    const res = await b.get(url);
    expect(res.status).toBe(401);
    expect(b.jar.has('outrun_session')).toBe(false);
  });

  it('a browser whose sign-in fails goes back to the sign-in page with a reason code, not an error body', async () => {
    idp.loginAs('alice');
    const b = browser('text/html,application/xhtml+xml,*/*;q=0.8');
    const { url } = await b.follow(`${h.baseUrl}/api/auth/oidc/start`, REDIRECT);
    const tampered = new URL(url);
    tampered.searchParams.set('state', 'attacker-state');
    const res = await b.get(tampered.href);
    expect([res.status, res.headers.get('location')]).toEqual([302, `${APP}/login?sso_error=rejected`]);
    expect(b.jar.has('outrun_session')).toBe(false);
    // the pending login is spent: the genuine answer afterwards finds nothing started
    const again = await b.get(url);
    expect(again.headers.get('location')).toBe(`${APP}/login?sso_error=not_started`);
  });

  it('an ID token the provider signed for another client (wrong audience) is refused; the same swap with our audience passes', async () => {
    const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { aud: string; nonce: string };
    const attempt = async (audience: string) => {
      idp.loginAs('alice');
      const b = browser();
      const start = await b.get(`${h.baseUrl}/api/auth/oidc/start`);
      const authorize = new URL(start.headers.get('location')!);
      // a genuine token for `audience`, carrying this login's nonce: the audience is the only thing that differs
      const token = await idp.idTokenFor(audience, { accountId: 'alice', nonce: authorize.searchParams.get('nonce')! });
      expect(claimsOf(token)).toMatchObject({ aud: audience, nonce: authorize.searchParams.get('nonce') });
      const { url } = await b.follow(authorize.href, REDIRECT);
      idp.replaceNextIdToken(token);
      const res = await b.get(url);
      return { res, b };
    };
    const control = await attempt('outrun');
    expect(control.res.status).toBe(302);
    expect(control.b.jar.has('outrun_session')).toBe(true);
    const wrong = await attempt('intruder');
    expect(wrong.res.status).toBe(401);
    expect(((await wrong.res.json()) as { error: { message: string } }).error.message).toMatch(/"aud"/);
    expect(wrong.b.jar.has('outrun_session')).toBe(false);
  });

  it('the callback without a started sign-in is refused', async () => {
    const res = await fetch(`${h.baseUrl}/api/auth/oidc/callback?code=abc&state=def`, { redirect: 'manual' });
    expect(res.status).toBe(401);
  });
});
