/**
 * The sign-in lockout is shared by every gateway process on one store: two API instances (as two replicas behind a
 * load balancer) on the same SQLite file, sign-in attempts alternating between them. With per-process counters each
 * instance would grant its own five free attempts and nothing would lock.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from './index';
import { startApi, type ApiHarness } from '../test/api-harness';
import { cookieClient } from '../test/cookie-client';

const PASSWORD = 'correct horse battery staple';
let h: ApiHarness;
let second: Server;
let urls: [string, string];

beforeAll(async () => {
  h = await startApi();
  // A second gateway on the same store: its own process state, nothing shared but the database.
  const app = createApiServer({ ...h.deps });
  second = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  urls = [h.baseUrl, `http://127.0.0.1:${(second.address() as AddressInfo).port}`];
  expect((await cookieClient(h.baseUrl).request('POST', '/api/auth/sign-up', { email: 'owner@example.com', password: PASSWORD })).status).toBe(201);
});
afterAll(async () => {
  second?.closeAllConnections();
  await new Promise<void>((resolve) => (second ? second.close(() => resolve()) : resolve()));
  await h?.close();
});

/** Attempt `i` goes to instance i % 2, from `ip` (the gateways trust X-Forwarded-For from loopback, like a proxy's). */
const signIn = (i: number, email: string, password: string, ip = '203.0.113.1') =>
  fetch(`${urls[i % 2]!}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ email, password }) });

describe('sign-in lockout across gateway processes', () => {
  it('failures on either instance count towards one account lock, and a success on one clears it for both', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn(i, 'owner@example.com', `wrong-${i}`)).status);
    // 3 + 3 failures per instance would never lock alone; together the 6th locks the account for 1 s
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const locked = await signIn(1, 'Owner@Example.com', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await signIn(0, 'owner@example.com', PASSWORD)).status).toBe(200);
    // cleared on the other instance too: a further failure is an ordinary 401, not a longer lock
    expect((await signIn(1, 'owner@example.com', 'wrong-again')).status).toBe(401);
    expect((await signIn(0, 'owner@example.com', PASSWORD)).status).toBe(200);
  });

  it('a sign-in costs one counter read; a success writes only when there were failures to clear', async () => {
    const calls: string[] = [];
    const accounts = new Proxy(h.deps.store.accounts, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function' || !/SignInFailure/.test(String(name))) return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const app = createApiServer({ ...h.deps, store: { ...h.deps.store, accounts } });
    const counted = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(counted.address() as AddressInfo).port}`;
      const attempt = (password: string) =>
        fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ email: 'owner@example.com', password }) });
      expect((await attempt(PASSWORD)).status).toBe(200);
      expect(calls).toEqual(['readSignInFailures']);
      calls.length = 0;
      expect((await attempt('wrong-password')).status).toBe(401);
      expect((await attempt(PASSWORD)).status).toBe(200);
      expect(calls).toEqual(['readSignInFailures', 'recordSignInFailure', 'readSignInFailures', 'clearSignInFailures']);
    } finally {
      counted.closeAllConnections();
      await new Promise<void>((resolve) => counted.close(() => resolve()));
    }
  });

  it('failures from one address count across instances and across emails (20 free, then locked)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await signIn(i, `nobody-${i}@example.com`, 'wrong-password', '203.0.113.2')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([401, 429]);
    // the counters hold hashes, never the attempted email (nothing else stores an unknown email)
    const bytes = Buffer.concat(await Promise.all([h.temp.file, `${h.temp.file}-wal`].map((f) => readFile(f).catch(() => Buffer.alloc(0)))));
    expect(bytes.includes(Buffer.from('nobody-3@example.com'))).toBe(false);
  });
});
