/**
 * Single sign-on in the real browser (issue 15), against a real OpenID Connect provider (`oidc-provider`, its own
 * login and consent pages) and the production build of the web app, which holds no local key here (a deployment
 * where people sign in, not the embedded local owner): the sign-in page's SSO button → the provider's login and
 * consent → back in Outrun signed in. A first-time person is provisioned with the default role (viewer: no write
 * actions), a person in a mapped group gets the mapped role (editor: the write actions are there), and a tampered
 * `state` or an expired code ends on the sign-in page with a clear message, not signed in.
 * Screenshots: docs/screenshots/oidc-*.png.
 */
import { join } from 'node:path';
import { startTestOidcProvider, type TestOidcProvider } from '@outrun/testing/oidc';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';
import { freePort, type StackOptions } from './stack';

const VIEWPORT = { width: 1280, height: 800 };
const CLIENT = { clientId: 'outrun-web', clientSecret: 'outrun-web-client-secret-0123456789' };
const CALLBACK = '/gateway/api/auth/oidc/callback';

let idp: TestOidcProvider;
/** Filled before the stack starts (the provider must know the app's redirect URI, the gateway the provider). */
const stackOptions: StackOptions = {};
const oidcConfig = { issuer: '', ...CLIENT, workspaceId: null as string | null, defaultRole: 'viewer' as const, groupsClaim: 'groups', groupRoles: { developers: 'editor' as const }, allowInsecure: true };

beforeAll(async () => {
  const webPort = await freePort();
  const app = `http://127.0.0.1:${webPort}`;
  idp = await startTestOidcProvider({
    interactive: true,
    clients: [{ ...CLIENT, redirectUri: `${app}${CALLBACK}` }],
    accounts: {
      alice: { email: 'alice@corp.example', name: 'Alice Analyst', groups: ['staff'] },
      dev: { email: 'dev@corp.example', name: 'Dev Eloper', groups: ['developers', 'staff'] },
    },
  });
  oidcConfig.issuer = idp.issuer;
  // No local key in the web server: pages without a session go to /login (no automatic local owner).
  Object.assign(stackOptions, { webPort, webEnv: { OUTRUN_API_KEY: '' }, apiAccounts: { appBaseUrl: app, oidc: oidcConfig } } satisfies StackOptions);
});
const ui = useBrowserStack({ viewport: VIEWPORT, stack: stackOptions });
let workflowId: string;
beforeAll(async () => {
  oidcConfig.workspaceId = ui.stack.workspaceId; // new people join the stack's workspace
  workflowId = (await ui.stack.api.createWorkflow(ui.stack.workspaceId, { name: 'Shared by SSO', triggers: [{ id: 'oidc-manual', type: 'manual' }], nodes: [], edges: [] })).id;
});
afterAll(async () => {
  await idp?.close();
});

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
});

/** A fresh browser profile (the provider remembers a signed-in person per profile). */
async function freshPage(): Promise<Page> {
  const context = await ui.browser.newContext({ viewport: VIEWPORT });
  contexts.push(context);
  await context.route(/fonts\.googleapis\.com/, (route) => route.abort()); // the provider's pages import a web font
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** From Outrun's sign-in page through the provider's login (any password) and consent pages. */
async function throughProvider(page: Page, login: string, shots?: { login: string; consent: string }): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password will do');
  if (shots) await page.screenshot({ path: join(SCREENSHOTS, shots.login) });
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  if (shots) await page.screenshot({ path: join(SCREENSHOTS, shots.consent) });
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Signs in like `throughProvider`, but the provider's answer is held back before it reaches Outrun; returns its URL. */
async function answerHeldBack(page: Page, login: string): Promise<string> {
  const held = idp.holdNextAnswer();
  await page.goto(`${ui.stack.webUrl}/login`);
  await throughProvider(page, login);
  await page.getByText('held back by the test').waitFor();
  return held;
}

async function signedIn(page: Page): Promise<boolean> {
  const cookies = await page.context().cookies(ui.stack.webUrl);
  const me = await page.evaluate(async () => (await fetch('/gateway/api/auth/me', { cache: 'no-store' })).status);
  return cookies.some((c) => c.name === 'outrun_session') || me === 200;
}

describe('single sign-on in the browser', () => {
  it('a first-time person signs in through the provider and is provisioned with the default role (viewer)', async () => {
    const page = await freshPage();
    await page.goto(`${ui.stack.webUrl}/workflows`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-sign-in.png') });
    await throughProvider(page, 'alice', { login: 'oidc-provider-login.png', consent: 'oidc-provider-consent.png' });

    // back where they were headed, signed in as Alice, a viewer: no write action offered
    await page.waitForURL(`${ui.stack.webUrl}/workflows`);
    await page.getByText('Shared by SSO').first().waitFor();
    const me = await page.evaluate(async () => (await (await fetch('/gateway/api/auth/me', { cache: 'no-store' })).json()) as { user: { email: string; name?: string } });
    expect(me.user).toMatchObject({ email: 'alice@corp.example', name: 'Alice Analyst' });
    expect(await page.getByRole('button', { name: 'New workflow' }).count()).toBe(0);
    await page.goto(`${ui.stack.webUrl}/workflows/${workflowId}`);
    await page.getByTestId('role-read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-viewer-read-only.png') });

    const members = await ui.stack.temp.store.accounts.listMembers(ui.stack.workspaceId);
    expect(members.map((m) => [m.email, m.role])).toEqual([['alice@corp.example', 'viewer']]);
    expect((await ui.stack.temp.store.accounts.findUserByEmail('alice@corp.example'))?.passwordHash).toBeNull();
  });

  it('a person in a mapped group gets the mapped role (editor) and is offered the write actions', async () => {
    const page = await freshPage();
    await page.goto(`${ui.stack.webUrl}/login`);
    await throughProvider(page, 'dev');
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByText('your role: editor').waitFor();
    await page.goto(`${ui.stack.webUrl}/workflows`);
    await page.getByRole('button', { name: 'New workflow' }).waitFor();
    await page.goto(`${ui.stack.webUrl}/workflows/${workflowId}`);
    await page.getByRole('button', { name: 'Publish', exact: true }).waitFor();
    expect(await page.getByTestId('role-read-only').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-editor.png') });
    const dev = (await ui.stack.temp.store.accounts.listMembers(ui.stack.workspaceId)).find((m) => m.email === 'dev@corp.example');
    expect(dev?.role).toBe('editor');
  });

  it('a tampered state ends on the sign-in page with a clear message, not signed in', async () => {
    const page = await freshPage();
    const answer = new URL(await answerHeldBack(page, 'alice'));
    expect(answer.searchParams.get('code')).toBeTruthy();
    answer.searchParams.set('state', 'attacker-chosen-state');
    await page.goto(answer.href);
    await page.waitForURL(/\/login\?sso_error=rejected$/);
    await page.getByTestId('sso-error').getByText('did not check out').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/at .*\.(js|ts):\d+|OUT_ERR_|Error:|unexpected/);
    expect(await signedIn(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-tampered-state.png') });
  });

  it('an expired code ends on the sign-in page, not signed in; the same answer again finds no sign-in started', async () => {
    const page = await freshPage();
    idp.setCodeTtlSeconds(1);
    let answer: string;
    try {
      answer = await answerHeldBack(page, 'alice');
    } finally {
      idp.setCodeTtlSeconds(60);
    }
    await new Promise((r) => setTimeout(r, 2100));
    await page.goto(answer);
    await page.waitForURL(/\/login\?sso_error=rejected$/);
    await page.getByTestId('sso-error').waitFor();
    expect(await signedIn(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-expired-code.png') });
    // replaying the provider's answer: the pending sign-in was spent by the first try
    await page.goto(answer);
    await page.waitForURL(/\/login\?sso_error=not_started$/);
    await page.getByTestId('sso-error').getByText('did not start that sign-in').waitFor();
    expect(await signedIn(page)).toBe(false);
  });
});
