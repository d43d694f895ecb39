/**
 * Runner child processes sharing one SQLite file and one Redis: work sharing with a per-workflow cap,
 * `kill -9` mid-run, SIGTERM drain, a Redis restart under load, and the embedded (no Redis) mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import type { Store } from '@outrun/store';
import { startHttpSink, type HttpSink, type SinkRequest } from '@outrun/testing/http-sink';
import { cleanupPrefix, SHARED_REDIS_URL, startRedisServer, uniquePrefix, type RedisServerHandle } from '@outrun/testing/redis';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, edge, httpNode, startRuns, waitForTerminal, waitUntil } from './harness';
import { sample, spawnRunner, type RunnerProcess, type RunnerProcessEnv } from './runner-process';

interface World {
  temp: TempSqliteStore;
  store: Store;
  workspaceId: string;
  prefix: string;
  redisUrl: string;
  opened: OpenedQueue;
  sink: HttpSink;
  runners: RunnerProcess[];
  env(extra?: Partial<RunnerProcessEnv>): RunnerProcessEnv;
}

let world: World | undefined;
let privateRedis: RedisServerHandle | undefined;

async function openWorld(sinkOptions: Parameters<typeof startHttpSink>[0], redisUrl = SHARED_REDIS_URL): Promise<World> {
  const temp = await createTempSqliteStore();
  const workspace = await temp.store.workspaces.createWorkspace({ name: 'processes' });
  const prefix = uniquePrefix('rp');
  const w: World = {
    temp, store: temp.store, workspaceId: workspace.id, prefix, redisUrl,
    opened: openQueue({ redisUrl, prefix }),
    sink: await startHttpSink(sinkOptions),
    runners: [],
    env: (extra = {}) => ({ dataDir: temp.dir, encryptionKey: temp.encryptionKey, redisUrl, prefix, ...extra }),
  };
  return (world = w);
}

afterEach(async () => {
  const w = world;
  world = undefined;
  if (w) {
    for (const r of w.runners) r.kill('SIGKILL');
    await Promise.all(w.runners.map((r) => r.exited));
    await w.opened.close();
    await w.sink.close();
    await w.temp.cleanup();
    if (w.redisUrl === SHARED_REDIS_URL) await cleanupPrefix(SHARED_REDIS_URL, w.prefix);
  }
  await privateRedis?.stop();
  privateRedis = undefined;
});

const keyOf = (r: SinkRequest) => String(r.headers['idempotency-key']);
const countBy = (items: string[]) => items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

describe('runner processes', () => {
  it('three runners share the work and never exceed the workflow concurrency', async () => {
    const w = await openWorld({ delayMs: 80 });
    w.runners.push(...(await Promise.all([1, 2, 3].map(() => spawnRunner(w.env({ concurrency: 4 }))))));
    const wf = await createWorkflow(w.store, w.workspaceId, { nodes: [httpNode('call', `${w.sink.url}/c`)], edges: [edge('trigger', 'call')], settings: { concurrency: 3 } });
    const runs = await waitForTerminal(w.store, w.workspaceId, await startRuns(w, wf, 36), 60_000);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(w.sink.maxInFlight).toBeLessThanOrEqual(3);
    expect(w.sink.maxInFlight).toBeGreaterThanOrEqual(2);
    const perRunner = await Promise.all(w.runners.map(async (r) => sample(await r.metrics(), 'outrun_runs_finished_total', { status: 'completed' })));
    expect(perRunner.reduce((a, b) => a + b, 0)).toBe(36);
    expect(perRunner.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('kill -9 of a runner with 200 runs in flight: all finish, none lost, no completed step repeated', async () => {
    const w = await openWorld({ delayMs: 40 });
    const [victim, survivor] = await Promise.all([spawnRunner(w.env({ concurrency: 40 })), spawnRunner(w.env({ concurrency: 40 }))]);
    w.runners.push(victim!, survivor!);
    const wf = await createWorkflow(w.store, w.workspaceId, {
      nodes: [httpNode('s1', `${w.sink.url}/1`), httpNode('s2', `${w.sink.url}/2`), httpNode('s3', `${w.sink.url}/3`)],
      edges: [edge('trigger', 's1'), edge('s1', 's2'), edge('s2', 's3')],
    });
    const ids = await startRuns(w, wf, 200);
    await w.sink.waitForRequests(120, 30_000);
    victim!.kill('SIGKILL');
    const killedAt = Date.now();
    await victim!.exited;
    const runs = await waitForTerminal(w.store, w.workspaceId, ids, 90_000);
    expect(runs.map((r) => r.status).filter((s) => s !== 'completed')).toEqual([]);
    const counts = countBy(w.sink.requests.map(keyOf));
    for (const id of ids) for (const n of ['s1', 's2', 's3']) expect(counts.get(`${id}:${n}:1`) ?? 0).toBeGreaterThanOrEqual(1);
    const repeated = [...counts].filter(([, c]) => c > 1).map(([k]) => k);
    // Only a step in flight at the kill may be sent again (same key): at most one per run the victim held.
    expect(Math.max(0, ...counts.values())).toBeLessThanOrEqual(2);
    expect(repeated.length).toBeLessThanOrEqual(40);
    expect(new Set(repeated.map((k) => k.split(':')[0])).size).toBe(repeated.length);
    // Redelivered within 5 s: the first repeat arrived less than 5 s after the kill.
    const firstRepeat = Math.min(...repeated.map((k) => w.sink.requests.filter((r) => keyOf(r) === k)[1]!.receivedAt));
    console.info(`kill -9: ${repeated.length} in-flight steps sent again (same key); first one ${firstRepeat - killedAt} ms after the kill`);
    if (repeated.length > 0) expect(firstRepeat - killedAt).toBeLessThan(5000);
    // Every run's recorded steps are each completed once.
    for (const run of runs) expect(run.steps.filter((s) => s.status === 'completed').map((s) => s.nodeId).sort()).toEqual(['s1', 's2', 's3', 'trigger']);
  });

  it('SIGTERM drains: in-flight runs finish, the rest wait for the next runner, nothing repeats', async () => {
    const w = await openWorld({ delayMs: 150 });
    const first = await spawnRunner(w.env({ concurrency: 5, graceMs: 8000 }));
    w.runners.push(first);
    const wf = await createWorkflow(w.store, w.workspaceId, {
      nodes: [httpNode('a', `${w.sink.url}/a`), httpNode('b', `${w.sink.url}/b`)],
      edges: [edge('trigger', 'a'), edge('a', 'b')],
    });
    const ids = await startRuns(w, wf, 25);
    await w.sink.waitForRequests(3, 20_000);
    const t0 = Date.now();
    first.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    const afterDrain = await Promise.all(ids.map((id) => w.store.runs.getRun(w.workspaceId, id)));
    // Nothing half-done is left behind: each run is either completed or not started.
    for (const run of afterDrain) expect(['completed', 'queued']).toContain(run!.status);
    expect(afterDrain.some((r) => r!.status === 'queued')).toBe(true);
    expect(afterDrain.some((r) => r!.status === 'completed')).toBe(true);
    w.runners.push(await spawnRunner(w.env({ concurrency: 5 })));
    const runs = await waitForTerminal(w.store, w.workspaceId, ids, 60_000);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect([...countBy(w.sink.requests.map(keyOf)).values()].every((c) => c === 1)).toBe(true);
  });

  it('a Redis restart under load loses no run', async () => {
    privateRedis = await startRedisServer();
    const w = await openWorld({ delayMs: 30 }, privateRedis.url);
    w.runners.push(await spawnRunner(w.env({ concurrency: 10, reconcileMs: 1000 })));
    const wf = await createWorkflow(w.store, w.workspaceId, {
      nodes: [httpNode('a', `${w.sink.url}/a`), httpNode('b', `${w.sink.url}/b`)],
      edges: [edge('trigger', 'a'), edge('a', 'b')],
    });
    const ids = await startRuns(w, wf, 80);
    await w.sink.waitForRequests(30, 20_000);
    await privateRedis.restart(); // kill -9 and start again: every key in Redis is gone
    await waitUntil(() => w.opened.queue.ping().then(() => true, () => false), 15_000, 'the producer to reconnect');
    ids.push(...(await startRuns(w, wf, 20, 80)));
    const runs = await waitForTerminal(w.store, w.workspaceId, ids, 60_000);
    expect(runs.map((r) => r.status).filter((s) => s !== 'completed')).toEqual([]);
    expect(await w.store.runs.listUnfinishedRuns()).toEqual([]);
  });

  it('embedded mode (no Redis): a runner process picks up the runs the store holds', async () => {
    const w = await openWorld({});
    const wf = await createWorkflow(w.store, w.workspaceId, { nodes: [httpNode('call', `${w.sink.url}/c`)], edges: [edge('trigger', 'call')] });
    // Runs accepted by an embedded process that then stopped: recorded, never handed to a live queue.
    const memory = openQueue({});
    const ids = await startRuns({ store: w.store, opened: memory }, wf, 5);
    await memory.close();
    const { redisUrl: _ignored, prefix: _p, ...env } = w.env();
    w.runners.push(await spawnRunner(env));
    const runs = await waitForTerminal(w.store, w.workspaceId, ids, 30_000);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(w.sink.requests).toHaveLength(5);
  });
});
