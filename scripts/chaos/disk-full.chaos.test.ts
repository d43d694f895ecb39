/**
 * Chaos: the filesystem under the SQLite file fills up under the embedded stack (gateway, listener, runner in this
 * process); then it turns read-only while the stack is stopped (Linux refuses to remount read-only while a file is
 * open for writing, so a running store cannot be staged). A small tmpfs is mounted for it, which needs root; elsewhere the test says
 * why it did not run.
 *
 * Guarantees checked: a write that cannot be recorded answers 503 with an error code (a webhook never a 2xx), the
 * process keeps serving (no crash, no unhandled rejection), and everything works again once space (or write
 * access) returns — including a webhook run that completes.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, rmdirSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStack, type EmbeddedStack } from '../suite/embedded-stack';
import { UNLIMITED_WEBHOOK } from './chaos-world';

const mountDir = mkdtempSync(join(tmpdir(), 'outrun-disk-'));
const encryptionKey = randomBytes(32).toString('hex');
/** Why the fault cannot be staged here (null: it can). */
const unavailable = (() => {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountDir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs failed: ${(err as Error).message.split('\n')[0]}`;
  }
})();
if (unavailable) console.warn(`disk-full chaos test not run: ${unavailable}`);

let stack: EmbeddedStack | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  if (unavailable) return;
  stack = await startEmbeddedStack({ file: join(mountDir, 'outrun.db'), encryptionKey });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  if (!unavailable) execFileSync('mount', ['-o', 'remount,rw', mountDir], { stdio: 'pipe' });
  await stack?.close();
  if (!unavailable) execFileSync('umount', [mountDir], { stdio: 'pipe' });
  rmdirSync(mountDir);
});

/** Writes a filler file until the filesystem refuses (ENOSPC); returns its path. */
function fillDisk(): string {
  const filler = join(mountDir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // Bytes smaller than a chunk may be left: fill them too.
  const tail = openSync(filler, 'a');
  try {
    for (;;) writeSync(tail, Buffer.alloc(512, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(tail);
  }
  return filler;
}

async function call(method: string, path: string, apiKey: string | null, body?: unknown): Promise<{ status: number; code?: string; json: Record<string, unknown> }> {
  const res = await fetch(`${stack!.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, json, ...((json.error as { code?: string } | undefined)?.code ? { code: (json.error as { code: string }).code } : {}) };
}

/** A workflow with `padBytes` of data in a node, so writing it needs new pages. */
const workflow = (name: string, padBytes = 0, triggerId = `hook-${randomBytes(4).toString('hex')}`) => ({
  name,
  triggers: [{ id: triggerId, type: 'webhook', config: { ...UNLIMITED_WEBHOOK } }],
  nodes: [
    { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
    { id: 'set', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'got', value: '{{ input.body.n }}' }, { name: 'pad', value: 'x'.repeat(padBytes) }] } },
  ],
  edges: [{ id: 'e', source: 't', target: 'set' }],
});

async function waitCompleted(ws: string, apiKey: string, runId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await call('GET', `/api/workspaces/${ws}/runs/${runId}`, apiKey);
    if (run.json.status === 'completed') return;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not complete: ${JSON.stringify(run.json).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(unavailable !== null)('chaos: the SQLite file’s disk is full, or read-only', () => {
  it('answers 503 with a code for every write it cannot record, keeps serving, and recovers', async () => {
    const { ws, apiKey } = await stack!.newWorkspace('disk');
    const created = await call('POST', `/api/workspaces/${ws}/workflows`, apiKey, workflow('before', 0, 'hook'));
    expect(created.status).toBe(201);
    const wf = created.json.id as string;
    expect((await call('POST', `/api/workspaces/${ws}/workflows/${wf}/activate`, apiKey)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // the listener reloads its trigger index every 50 ms
    const hook = `/webhook/${ws}/hook`;
    const first = await call('POST', hook, null, { n: 1 });
    expect(first.status).toBe(202);
    await waitCompleted(ws, apiKey, first.json.runId as string);

    {
      const fault = 'disk full';
      const filler = fillDisk();
      // The WAL may still have room from earlier writes (SQLite reuses it), so some writes may succeed: each one
      // must then really be recorded. Keep writing until the store refuses several times in a row.
      const accepted: { workflows: string[]; runs: string[] } = { workflows: [], runs: [] };
      let refusedInARow = 0;
      const refusedCodes = new Set<string>();
      for (let i = 0; i < 200 && refusedInARow < 12; i++) {
        const answers = [
          ['workflow', await call('POST', `/api/workspaces/${ws}/workflows`, apiKey, workflow(`during ${fault} ${i}`, 20_000))],
          ['edit', await call('PUT', `/api/workspaces/${ws}/workflows/${wf}`, apiKey, workflow('edited', 20_000, 'hook'))],
          ['webhook', await call('POST', hook, null, { n: 100 + i, pad: 'p'.repeat(30_000) })],
        ] as const;
        for (const [kind, answer] of answers) {
          const context = `${fault} ${kind}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`;
          if (answer.status === 503) {
            expect(answer.code, context).toMatch(/^OUT_ERR_[A-Z_]+$/);
            expect(JSON.stringify(answer.json), 'no server path or SQLite detail in the answer').not.toMatch(/outrun\.db|SQLITE_|\/tmp\//);
            refusedCodes.add(answer.code!);
            refusedInARow++;
            continue;
          }
          expect(answer.status, context).toBeLessThan(300);
          refusedInARow = 0;
          if (kind === 'workflow') accepted.workflows.push(answer.json.id as string);
          if (kind === 'webhook') accepted.runs.push(answer.json.runId as string);
        }
      }
      expect(refusedInARow, `${fault}: the store never refused`).toBeGreaterThanOrEqual(12);
      // Still serving: health and reads answer.
      expect((await fetch(`${stack!.baseUrl}/healthz`)).status).toBe(200);
      expect((await call('GET', `/api/workspaces/${ws}/workflows/${wf}`, apiKey)).status).toBe(200);

      rmSync(filler);

      // Recovery without a restart: what was accepted is there, webhook runs complete, new writes work.
      for (const id of accepted.workflows) expect((await call('GET', `/api/workspaces/${ws}/workflows/${id}`, apiKey)).status).toBe(200);
      for (const runId of accepted.runs) await waitCompleted(ws, apiKey, runId);
      const again = await call('POST', `/api/workspaces/${ws}/workflows`, apiKey, workflow(`after ${fault}`));
      expect(again.status, JSON.stringify(again.json).slice(0, 300)).toBe(201);
      const hookAgain = await call('POST', hook, null, { n: 2 });
      expect(hookAgain.status, JSON.stringify(hookAgain.json).slice(0, 300)).toBe(202);
      await waitCompleted(ws, apiKey, hookAgain.json.runId as string);
      console.info(`${fault}: ${accepted.workflows.length} workflows and ${accepted.runs.length} webhooks accepted into the WAL's room (all kept), then 503 ${[...refusedCodes].join(', ')}; recovered without a restart`);
    }
    expect(unhandled).toEqual([]);
  });

  it('read-only: a running store cannot be staged (Linux refuses while the file is open for writing), so the file system turns read-only while stopped: start-up refuses with a code, nothing is lost, and it starts once writable', async () => {
    const { ws } = await stack!.newWorkspace('before read-only');
    await stack!.close();
    stack = undefined;
    execFileSync('mount', ['-o', 'remount,ro', mountDir], { stdio: 'pipe' });
    const refused = await startEmbeddedStack({ file: join(mountDir, 'outrun.db'), encryptionKey }).then(
      async (s) => {
        await s.close();
        return null;
      },
      (err: unknown) => err as { code?: string; message?: string },
    );
    expect(refused, 'start-up on a read-only file system must fail').not.toBeNull();
    expect(refused!.code).toBe('OUT_ERR_STORE_UNAVAILABLE');
    console.info(`read-only start-up refused: ${refused!.message}`);
    execFileSync('mount', ['-o', 'remount,rw', mountDir], { stdio: 'pipe' });
    stack = await startEmbeddedStack({ file: join(mountDir, 'outrun.db'), encryptionKey });
    expect((await stack.store.workspaces.getWorkspace(ws))?.id).toBe(ws);
    expect(unhandled).toEqual([]);
  });
});
