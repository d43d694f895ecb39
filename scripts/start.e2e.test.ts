/**
 * `npm start` end to end, exactly as the README says: start it as a child process on a fresh data dir, wait for
 * readiness, trigger the sample workflow's webhook, check the completed run through the API; restart and check
 * that everything survived. Ports are free ones (set through the documented env vars).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { freePort } from '@outrun/testing/redis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPortClashes } from './start/check-ports';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  workspaceId: string;
  apiKey: string;
  webhookUrl: string;
}

async function startOutrun(env: Record<string, string>, dataDir: string): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const deadline = Date.now() + 240_000;
  while (!/Ctrl-C stops everything/.test(out)) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`npm start did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const pick = (re: RegExp) => {
    const m = re.exec(out);
    if (!m?.[1]) throw new Error(`no ${re} in:\n${out}`);
    return m[1];
  };
  // Output that is not a terminal (a pipe here, a log file in production) never gets the key: it is in the data dir.
  const local = JSON.parse(await readFile(join(dataDir, 'local-workspace.json'), 'utf8')) as { apiKey: string };
  expect(out).toMatch(/API key: +not printed \(output is not a terminal\)/);
  expect(out).not.toContain(local.apiKey);
  return {
    child,
    output: () => out,
    workspaceId: pick(/Local workspace: (\S+)/),
    apiKey: local.apiKey,
    webhookUrl: pick(/curl -s -X POST (\S+)/),
  };
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole process group. @returns true when it stopped cleanly. */
async function stop(child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode === 0 || child.signalCode === 'SIGINT';
  const exited = new Promise<boolean>((resolve) => child.once('exit', (code, signal) => resolve(code === 0 || signal === 'SIGINT')));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

describe('npm start (embedded mode)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let ports: { web: number; api: number; runner: number; listener: number };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outrun-start-'));
    ports = { web: await freePort(), api: await freePort(), runner: await freePort(), listener: await freePort() };
    env = {
      OUTRUN_DATA_DIR: dataDir,
      WEB_PORT: String(ports.web),
      API_PORT: String(ports.api),
      RUNNER_PORT: String(ports.runner),
      LISTENER_PORT: String(ports.listener),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      MONGO_URI: '',
    };
  });

  afterAll(async () => {
    for (const child of children) await stop(child).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves all four services, runs the sample workflow, and keeps everything across a restart', async () => {
    const first = await startOutrun(env, dataDir);
    children.push(first.child);

    // The sample webhook answers synchronously with the respond node's body.
    const answer = await fetch(first.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', employees: 250 }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ lead: 'Ada', classification: 'hot_lead', score: 90 });

    const api = (path: string) => fetch(`http://localhost:${ports.api}${path}`, { headers: { authorization: `Bearer ${first.apiKey}` } });
    const runs = (await (await api(`/api/workspaces/${first.workspaceId}/runs`)).json()) as { items: Array<{ id: string; status: string }> };
    expect(runs.items).toHaveLength(1);
    const run = (await (await api(`/api/workspaces/${first.workspaceId}/runs/${runs.items[0]!.id}`)).json()) as { status: string; steps: Array<{ nodeId: string; status: string }> };
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'hot')?.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'cold')?.status).toBe('skipped');

    for (const port of [ports.api, ports.runner, ports.listener]) {
      expect((await fetch(`http://localhost:${port}/healthz`)).status, `healthz :${port}`).toBe(200);
    }
    const web = await fetch(`http://127.0.0.1:${ports.web}/`);
    expect(web.status).toBe(200);
    // The web app knows the local workspace and reaches the gateway through its same-origin proxy, by session only:
    // the key stays on the server, and the local owner is signed in automatically on the local origin (issue 15).
    const config = (await (await fetch(`http://127.0.0.1:${ports.web}/config.json`)).json()) as { apiKey: string | null; workspaceId: string };
    expect(config).toMatchObject({ apiKey: null, localSignIn: true, workspaceId: first.workspaceId });
    expect((await fetch(`http://127.0.0.1:${ports.web}/gateway/api/workspaces/${first.workspaceId}/runs`, { headers: { 'x-outrun-client': 'web' } })).status).toBe(401);
    const signIn = await fetch(`http://127.0.0.1:${ports.web}/local-sign-in`, { method: 'POST', headers: { 'x-outrun-client': 'web' } });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { workspaces: Array<{ role: string }> }).workspaces[0]?.role).toBe('owner');
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const served = await fetch(`http://127.0.0.1:${ports.web}/gateway/api/workspaces/${first.workspaceId}/runs`, { headers: { 'x-outrun-client': 'web', cookie } });
    expect(served.status).toBe(200);
    // The database and its WAL are owner-only; /metrics answers this (loopback) host.
    for (const name of ['outrun.db', 'outrun.db-wal']) expect(((await stat(join(dataDir, name))).mode & 0o777).toString(8), name).toBe('600');
    expect((await fetch(`http://127.0.0.1:${ports.runner}/metrics`)).status).toBe(200);
    // DNS rebinding: a foreign Host name gets nothing from the gateway or the web app, even with the key.
    for (const port of [ports.api, ports.web]) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: `/api/workspaces/${first.workspaceId}/runs`, headers: { host: `attacker.example:${port}`, authorization: `Bearer ${first.apiKey}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status, `:${port}`).toBe(403);
    }
    const viaWeb = await fetch(`http://127.0.0.1:${ports.web}/gateway/api/workspaces/${first.workspaceId}/runs`, { headers: { authorization: `Bearer ${first.apiKey}` } });
    expect(viaWeb.status).toBe(200);
    expect(((await viaWeb.json()) as { items: unknown[] }).items).toHaveLength(1);

    expect(await stop(first.child)).toBe(true);
    // Everything let go of its port.
    const claims = Object.entries(ports).map(([service, port]) => ({ service, port, envVar: '' }));
    expect(await findPortClashes(claims)).toEqual([]);

    // Restart: same workspace and key, the run is still there.
    const second = await startOutrun(env, dataDir);
    children.push(second.child);
    expect(second.workspaceId).toBe(first.workspaceId);
    expect(second.apiKey).toBe(first.apiKey);
    const again = (await (await fetch(`http://localhost:${ports.api}/api/workspaces/${first.workspaceId}/runs/${runs.items[0]!.id}`, { headers: { authorization: `Bearer ${first.apiKey}` } })).json()) as { status: string };
    expect(again.status).toBe('completed');
    expect(await stop(second.child)).toBe(true);
  });

  it('names the port and the env var when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(ports.api, resolve);
    });
    try {
      const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(out).toContain(`Port ${ports.api}`);
      expect(out).toContain('API_PORT');
    } finally {
      blocker.close();
    }
  });
});
