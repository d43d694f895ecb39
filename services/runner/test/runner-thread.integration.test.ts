/**
 * `npm start` with OUTRUN_RUNNER_THREAD: runs execute in a worker thread on its own SQLite connection, fed by the
 * main thread's in-process queue; status events reach the main thread's bus; /readyz and /metrics answer for the
 * thread; stop drains.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { runEventBus, workspaceChannel } from '@outrun/queue';
import { newWriteTurnsBuffer } from '@outrun/store/open';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import type { RunEvent } from '@outrun/schemas';
import { readRunnerEnv } from '../src/env';
import { createRunnerThread, type RunnerThread } from '../src/thread/runner-thread-host';
import { createWorkflow, edge, node, silentLogger, startRuns, waitUntil } from './harness';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('runner thread (embedded mode on two cores)', () => {
  it('executes queued runs in the thread: every step recorded, events on the main bus, readyz/metrics, clean stop', async () => {
    const writeTurns = newWriteTurnsBuffer();
    const temp = await createTempSqliteStore({ writeTurns });
    const queue = createMemoryQueue();
    const events = createMemoryEventBus();
    cleanups.push(() => temp.cleanup(), () => queue.close());
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'threaded' })).id;
    const wf = await createWorkflow(temp.store, ws, {
      nodes: [node('score', 'set', { fields: [{ name: 'score', value: '{{ trigger.value * 2 }}' }] }), node('check', 'condition', { left: '{{ input.score }}', operator: 'gt', right: 10 }), node('big', 'noop'), node('small', 'noop')],
      edges: [edge('trigger', 'score'), edge('score', 'check'), edge('check', 'big', 'true'), edge('check', 'small', 'false')],
    });
    const seen: RunEvent[] = [];
    await runEventBus(events).subscribe(workspaceChannel(ws), (e) => seen.push(e));
    const thread: RunnerThread = createRunnerThread({
      env: readRunnerEnv({ RUNNER_CONCURRENCY: '8', RUNNER_GRACE_MS: '2000' }),
      store: { dataDir: temp.dir, encryptionKey: temp.encryptionKey, sqliteWriteTurns: writeTurns },
      queue, events, logger: silentLogger, logLevel: 'silent',
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await thread.stop();
    });
    await thread.start();
    const ids = await startRuns({ store: temp.store, opened: { queue, events } }, wf, 40);
    await waitUntil(async () => {
      const runs = await Promise.all(ids.map((id) => temp.store.runs.getRun(ws, id)));
      return runs.every((r) => r?.status === 'completed');
    }, 30_000, 'every run completed by the thread');
    const run = (await temp.store.runs.getRun(ws, ids[7]!))!;
    expect(Object.fromEntries(run.steps.map((s) => [s.nodeId, s.status]))).toEqual({ trigger: 'completed', score: 'completed', check: 'completed', big: 'completed', small: 'skipped' });
    expect((await temp.store.runs.getRun(ws, ids[2]!))!.steps.find((s) => s.nodeId === 'small')?.status).toBe('completed');
    await waitUntil(() => seen.filter((e) => e.type === 'status' && e.status === 'completed').length === 40, 5000, 'completed events on the main bus');

    const server = createServer(thread.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/outrun_runs_finished_total\{status="completed",service="runner"\} 40/);

    await thread.stop();
    stopped = true;
    expect((await queue.counts()).active).toBe(0);
  });
});
