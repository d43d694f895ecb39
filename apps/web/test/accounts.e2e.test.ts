/**
 * Issue 15's "done when", in the real browser against the production build: the owner signs up, invites a
 * colleague by email (a real SMTP server reads the message), the colleague follows the link, joins as a viewer,
 * signs out and in again with the password, sees only what a viewer may (no invite form, no audit log, a write is
 * refused), and the owner sees both actions in the audit log. Screenshots: docs/screenshots/accounts-*.png.
 */
import { join } from 'node:path';
import { startTestSmtpServer, firstLink, type TestSmtpServer } from '@outrun/testing/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '@outrun/api';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';
import type { StackOptions } from './stack';

const APP = 'http://outrun.test';
let smtp: TestSmtpServer;
/** The gateway mails through the SMTP server started first (hooks run in the order they are registered). */
const stackOptions: StackOptions = {};
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  stackOptions.apiAccounts = { mailer: createSmtpMailer({ smtpUrl: smtp.url, from: 'outrun@example.com' }), appBaseUrl: APP };
});
const ui = useBrowserStack({ viewport: { width: 1280, height: 800 }, stack: stackOptions, setupTimeoutMs: 400_000 });
afterAll(async () => {
  await smtp?.close();
});

describe('accounts in the browser', () => {
  it('owner signs up and invites by email; the colleague joins, sees only what a viewer may; the owner sees both in the audit log', async () => {
    const owner = await ui.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await owner.goto(`${ui.stack.webUrl}/login`);
    await owner.getByRole('heading', { name: 'Create the owner account' }).waitFor();
    await owner.getByLabel('Name').fill('Olive Owner');
    await owner.getByLabel('Email').fill('olive@example.com');
    await owner.getByLabel('Password').fill('owner-password-123');
    await owner.screenshot({ path: join(SCREENSHOTS, 'accounts-sign-up.png') });
    await owner.getByRole('button', { name: 'Sign up' }).click();
    await owner.getByRole('heading', { name: 'Members' }).waitFor();
    await owner.getByText('your role: owner').waitFor();

    await owner.getByLabel('Email to invite').fill('colin@example.com');
    await owner.getByLabel('Role to invite').selectOption('viewer');
    await owner.getByRole('button', { name: 'Invite' }).click();
    await owner.getByText('Invitation emailed to colin@example.com.').waitFor();
    await owner.screenshot({ path: join(SCREENSHOTS, 'accounts-invite.png') });

    const mail = await smtp.waitFor('colin@example.com');
    const link = new URL(firstLink(mail));
    expect(link.origin).toBe(APP);
    const colleagueContext = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const colleague = await colleagueContext.newPage();
    await colleague.goto(`${ui.stack.webUrl}${link.pathname}${link.search}`);
    await colleague.getByText('colin@example.com').waitFor();
    await colleague.getByLabel('Name').fill('Colin');
    await colleague.getByLabel('Password').fill('colin-password-123');
    await colleague.getByRole('button', { name: 'Join' }).click();
    await colleague.getByText('your role: viewer').waitFor();

    // out and in again with the password
    await colleague.getByRole('button', { name: 'Sign out' }).click();
    await colleague.getByRole('heading', { name: 'Sign in' }).waitFor();
    await colleague.getByLabel('Email').fill('colin@example.com');
    await colleague.getByLabel('Password').fill('colin-password-123');
    await colleague.getByRole('button', { name: 'Sign in' }).click();
    await colleague.getByText('your role: viewer').waitFor().catch(async (error: unknown) => {
      throw new Error(`after sign-in: ${await colleague.locator('main').innerText()} (${colleague.url()})`, { cause: error });
    });
    // a viewer: no invite form, roles read-only, members listed
    await colleague.getByText('Only owners and admins invite people and change roles.').waitFor();
    expect(await colleague.getByLabel('Email to invite').count()).toBe(0);
    expect(await colleague.getByLabel('Role of olive@example.com').isDisabled()).toBe(true);
    await colleague.screenshot({ path: join(SCREENSHOTS, 'accounts-viewer-members.png') });
    // and the API refuses a write made with the viewer's session, whatever the UI shows
    const write = await colleague.evaluate(async (ws) => {
      const csrf = /(?:^|;\s*)outrun_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(`/gateway/api/workspaces/${ws}/workflows`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: JSON.stringify({ name: 'x', nodes: [], edges: [], triggers: [] }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, ui.stack.workspaceId);
    expect(write).toMatchObject({ status: 403, body: { error: { code: 'OUT_ERR_FORBIDDEN' } } });
    expect(await colleague.evaluate(() => document.cookie)).not.toContain('outrun_session'); // HttpOnly
    await colleague.goto(`${ui.stack.webUrl}/audit`);
    await colleague.getByText('Only owners and admins read the audit log.').waitFor();

    await owner.goto(`${ui.stack.webUrl}/audit`);
    const table = owner.getByRole('table', { name: 'Audit entries' });
    await table.getByText('member.joined').waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.some((r) => r.includes('olive@example.com') && r.includes('member.invited') && r.includes('colin@example.com'))).toBe(true);
    expect(rows.some((r) => r.includes('colin@example.com') && r.includes('member.joined'))).toBe(true);
    expect(rows.some((r) => r.includes('colin@example.com') && r.includes('auth.signed_in'))).toBe(true);
    await owner.getByLabel('Action').fill('member.invited');
    await owner.waitForFunction(() => document.querySelectorAll('table[aria-label="Audit entries"] tbody tr').length === 1);
    await owner.getByLabel('Action').fill('');
    await table.getByText('member.joined').waitFor();
    await owner.screenshot({ path: join(SCREENSHOTS, 'accounts-audit.png'), fullPage: true });
    await colleagueContext.close();
  }, 120_000);

  it('a forgotten password: the reset page emails a link, the link sets a new password (the same form block as joining)', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${ui.stack.webUrl}/reset-password`);
    await page.getByLabel('Email').fill('olive@example.com');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If this email has an account, a reset link is on its way.').waitFor();
    const link = new URL(firstLink(await smtp.waitFor('olive@example.com')));
    expect(link.pathname).toBe('/reset-password');
    await page.goto(`${ui.stack.webUrl}${link.pathname}${link.search}`);
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    expect(await page.getByRole('status').count()).toBe(0); // the browser's own check: at least 10 characters
    await page.getByLabel('New password').fill('olive-new-password-456');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Password changed. Every session was signed out.').waitFor();
    // the link is spent: using it again shows the gateway's refusal in the form's banner
    await page.goto(`${ui.stack.webUrl}${link.pathname}${link.search}`);
    await page.getByLabel('New password').fill('olive-third-password-789');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').getByText('This link is unknown, used, expired').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-reset-link-used.png') });
    await page.close();
  }, 60_000);
});
