/**
 * Issue 19, "a blocked event loop can run a step twice": the BullMQ lock is 3 s and was renewed only by the
 * main thread, so a step holding the loop for 10 s let the other runner's stalled check take the job and run
 * the step again. Two runner processes on one Redis prefix and one SQLite file; the step must run once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, edge, node, startRuns, waitForTerminal } from './harness';

const SCRIPT = fileURLToPath(new URL('./busy-runner.ts', import.meta.url));

interface World {
  temp: TempSqliteStore;
  prefix: string;
  opened: OpenedQueue;
  children: ChildProcess[];
  dir: string;
}
let world: World | undefined;

afterEach(async () => {
  const w = world;
  world = undefined;
  if (!w) return;
  for (const c of w.children) c.kill('SIGKILL');
  await w.opened.close();
  await w.temp.cleanup();
  await cleanupPrefix(SHARED_REDIS_URL, w.prefix);
  rmSync(w.dir, { recursive: true, force: true });
});

async function spawnBusyRunner(args: Record<string, unknown>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(args)], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`busy runner exited (${code}) during start-up:\n${output}`)));
  });
  return child;
}

describe('a step that blocks the event loop for 10 s (two runners on BullMQ)', () => {
  it('runs exactly once: the lock heartbeat thread keeps the job while the main thread is busy', { timeout: 90_000 }, async () => {
    const temp = await createTempSqliteStore();
    const prefix = uniquePrefix('busy');
    const dir = mkdtempSync(join(tmpdir(), 'outrun-busy-'));
    const executionsFile = join(dir, 'executions.log');
    writeFileSync(executionsFile, '');
    const w: World = (world = { temp, prefix, opened: openQueue({ redisUrl: SHARED_REDIS_URL, prefix }), children: [], dir });
    const args = { dataDir: temp.dir, encryptionKey: temp.encryptionKey, redisUrl: SHARED_REDIS_URL, prefix, executionsFile, lockHeartbeat: process.env.OUTRUN_TEST_NO_HEARTBEAT !== '1' };
    w.children.push(...(await Promise.all([spawnBusyRunner(args), spawnBusyRunner(args)])));

    const workspace = await temp.store.workspaces.createWorkspace({ name: 'busy' });
    const wf = await createWorkflow(temp.store, workspace.id, { nodes: [node('busy', 'test.busy', { ms: 10_000 })], edges: [edge('trigger', 'busy')] });
    const [runId] = await startRuns({ store: temp.store, opened: w.opened }, wf, 1);
    const [run] = await waitForTerminal(temp.store, workspace.id, [runId as string], 60_000);

    const executions = readFileSync(executionsFile, 'utf8').trim().split('\n').filter(Boolean);
    expect(executions, 'the busy step ran more than once').toHaveLength(1);
    expect(run?.status).toBe('completed');
    expect(run?.steps.filter((s) => s.nodeId === 'busy')).toMatchObject([{ status: 'completed', attempt: 1 }]);
  });
});
