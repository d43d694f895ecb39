/**
 * Embedded auto sign-in (issue 15): `POST /api/auth/local-session` signs the local owner in only for the embedded
 * local key; with nobody signed up it creates the local owner (owning the local workspace and its workflows);
 * once a person owns the workspace, that person is the local owner; without `localSignIn` the route is 404.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@outrun/config';
import { createNodeCatalog } from '@outrun/nodes';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { cookieClient } from '../test/cookie-client';
import { LOCAL_OWNER_EMAIL } from './routes/local-session';
import { createApiServer } from './server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function embedded(withLocalSignIn = true): Promise<{ baseUrl: string; temp: TempSqliteStore; ws: string; apiKey: string; otherKey: string }> {
  const temp = await createTempSqliteStore();
  const workspace = await temp.store.workspaces.createWorkspace({ name: 'Local' });
  const { apiKey } = await temp.store.workspaces.createApiKey(workspace.id, { name: 'local' });
  const { apiKey: otherKey } = await temp.store.workspaces.createApiKey(workspace.id, { name: 'script' });
  const app = createApiServer({
    store: temp.store, queue: createMemoryQueue(), events: createMemoryEventBus(), catalog: createNodeCatalog(), logger: createLogger({ name: 'api', level: 'silent' }),
    ...(withLocalSignIn ? { localSignIn: { apiKey, workspaceId: workspace.id } } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await temp.cleanup();
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, temp, ws: workspace.id, apiKey, otherKey };
}

const localSession = (baseUrl: string, key?: string) => fetch(`${baseUrl}/api/auth/local-session`, { method: 'POST', headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('embedded auto sign-in of the local owner', () => {
  it('creates the local owner on an install with nobody yet, owning the local workspace; the session reads its workflows', async () => {
    const e = await embedded();
    await e.temp.store.workflows.createWorkflow(e.ws, { name: 'kept', triggers: [], nodes: [], edges: [] } as never);
    const res = await localSession(e.baseUrl, e.apiKey);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { email: string; instanceOwner: boolean }; workspaces: Array<{ workspace: { id: string }; role: string }> };
    expect(body.user).toMatchObject({ email: LOCAL_OWNER_EMAIL, instanceOwner: true });
    expect(body.workspaces).toEqual([expect.objectContaining({ workspace: expect.objectContaining({ id: e.ws }), role: 'owner' })]);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toContain('outrun_session=');
    const list = await fetch(`${e.baseUrl}/api/workspaces/${e.ws}/workflows`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain('kept');
    // Sign-up is closed now: the local owner is the instance owner. A second call signs the same person in.
    expect(await e.temp.store.accounts.countUsers()).toBe(1);
    expect(((await (await localSession(e.baseUrl, e.apiKey)).json()) as { user: { email: string } }).user.email).toBe(LOCAL_OWNER_EMAIL);
    expect(await e.temp.store.accounts.countUsers()).toBe(1);
  });

  it('signs in the person who signed up and owns the local workspace', async () => {
    const e = await embedded();
    const owner = cookieClient(e.baseUrl);
    expect((await owner.request('POST', '/api/auth/sign-up', { email: 'olive@example.com', password: 'correct horse battery staple' })).status).toBe(201);
    const res = await localSession(e.baseUrl, e.apiKey);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe('olive@example.com');
  });

  it('answers 404 to anything but the local key, and when not embedded', async () => {
    const e = await embedded();
    expect((await localSession(e.baseUrl)).status).toBe(404);
    expect((await localSession(e.baseUrl, e.otherKey)).status).toBe(404);
    expect((await localSession(e.baseUrl, `${e.apiKey}x`)).status).toBe(404);
    expect(await e.temp.store.accounts.countUsers()).toBe(0);
    const plain = await embedded(false);
    expect((await localSession(plain.baseUrl, plain.apiKey)).status).toBe(404);
  });
});
