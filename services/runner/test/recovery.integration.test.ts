/**
 * Run-level re-attempts after an operational failure (the SQLite file locked by another process) and the
 * embedded mode's start-up recovery (in-process queue lost, store intact).
 */
import { SqliteDriver as Database } from '@outrun/store/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { createRunLifecycle } from '@outrun/queue';
import { openQueue } from '@outrun/queue/open';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createRunner } from '../src/runner';
import { createWorkflow, edge, httpNode, inProcessWorld, silentLogger, startRuns, waitForTerminal, waitUntil, type InProcessWorld } from './harness';

let world: InProcessWorld | undefined;
let sink: HttpSink | undefined;
let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await world?.close();
  await sink?.close();
  await temp?.cleanup();
  world = undefined;
  sink = undefined;
  temp = undefined;
});

describe('run-level re-attempts', () => {
  it('re-attempts the run when the store fails mid-run, records the attempt, and never repeats a completed step', async () => {
    let file = '';
    let locked = false;
    sink = await startHttpSink({
      respond: async () => {
        if (!locked) {
          locked = true;
          // Another process takes the write lock for 1.5 s: the runner's step writes fail (busy timeout 100 ms).
          // It waits for the step's `running` row to commit first (written one tick after the request went out):
          // taking the lock while this process's batch holds it would block this event loop (same process).
          const other = new Database(file, { timeout: 100 });
          const running = other.prepare("SELECT count(*) AS n FROM run_steps WHERE node_id = 'call' AND status = 'running'");
          await waitUntil(() => (running.get() as { n: number }).n === 1, 5000, 'the running step to commit');
          other.exec('BEGIN IMMEDIATE');
          setTimeout(() => {
            other.exec('COMMIT');
            other.close();
          }, 1500);
        }
        return { status: 200, body: { ok: true } };
      },
    });
    world = await inProcessWorld('bullmq', { storeRetryMs: 200 }, { busyTimeoutMs: 100 });
    file = world.temp.file;
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [httpNode('call', `${sink.url}/call`)],
      edges: [edge('trigger', 'call')],
      settings: { retryPolicy: { maxRetries: 2, backoffStrategy: 'fixed', initialDelay: 300, maxDelay: 1000, jitter: 0 } },
    });
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 1), 20_000);
    expect(run!.status).toBe('completed');
    expect(run!.attempt).toBe(2);
    // The step whose outcome could not be recorded ran again, with the same idempotency key.
    expect(sink.requests.map((r) => r.headers['idempotency-key'])).toEqual([`${run!.id}:call:1`, `${run!.id}:call:1`]);
    expect(run!.steps.filter((s) => s.nodeId === 'trigger')).toHaveLength(1);
  });
});

describe('embedded mode', () => {
  it('re-enqueues unfinished runs at start-up: a restart loses nothing and repeats no completed step', async () => {
    sink = await startHttpSink({ delayMs: 200 });
    temp = await createTempSqliteStore();
    const workspace = await temp.store.workspaces.createWorkspace({ name: 'embedded' });
    const wf = await createWorkflow(temp.store, workspace.id, {
      nodes: [httpNode('a', `${sink.url}/a`), httpNode('b', `${sink.url}/b`)],
      edges: [edge('trigger', 'a'), edge('a', 'b')],
    });
    const http = createHttpClient({ allowList: ['127.0.0.1'] });
    const boot = async () => {
      const opened = openQueue({});
      const runner = createRunner({ store: temp!.store, queue: opened.queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog(), logger: silentLogger, http, options: { concurrency: 4, reconcileIntervalMs: 0 } });
      return { opened, runner };
    };
    // First life: 8 runs accepted, the process dies while some are mid-run.
    const first = await boot();
    const ids = await startRuns({ store: temp.store, opened: first.opened }, wf, 8);
    await first.runner.start();
    await sink.waitForRequests(5, 10_000);
    await first.runner.stop({ graceMs: 0 });
    await first.opened.close();
    const before = await Promise.all(ids.map((id) => temp!.store.runs.getRun(workspace.id, id)));
    const completedBefore = new Set(before.flatMap((r) => r!.steps.filter((s) => s.status === 'completed' && s.nodeType === 'http-request').map((s) => `${r!.id}:${s.nodeId}:${s.attempt}`)));
    expect(before.some((r) => r!.status !== 'completed')).toBe(true);

    // Second life: a fresh in-process queue, recovered from the store.
    const second = await boot();
    const recovered = await createRunLifecycle({ store: temp.store, queue: second.opened.queue }).recover();
    expect(recovered).toBe(before.filter((r) => r!.status !== 'completed').length);
    await second.runner.start();
    const runs = await waitForTerminal(temp.store, workspace.id, ids, 20_000);
    await second.runner.stop({ graceMs: 1000 });
    await second.opened.close();
    await http.close();
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill('completed'));
    const keys = sink.requests.map((r) => String(r.headers['idempotency-key']));
    for (const key of completedBefore) expect(keys.filter((k) => k === key)).toHaveLength(1);
    for (const id of ids) for (const n of ['a', 'b']) expect(keys.filter((k) => k === `${id}:${n}:1`).length).toBeGreaterThanOrEqual(1);
  });
});
