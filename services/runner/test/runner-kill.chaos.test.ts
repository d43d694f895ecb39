/**
 * Chaos: `kill -9` of the only runner process with 500 runs in flight (BullMQ on the shared Redis under a private
 * prefix, one SQLite file), then a new runner starts. Side effects are counted at an HTTP sink by the
 * `Idempotency-Key` each http-request step sends (`<runId>:<nodeId>:<attempt>`).
 *
 * Guarantees checked: every accepted run completes; no step whose completion was recorded before the kill is
 * executed again; each run records each step completed exactly once; nothing is left unfinished.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, edge, httpNode, startRuns, waitForTerminal } from './harness';
import { spawnRunner, type RunnerProcess } from './runner-process';

const RUNS = 500;
const STEPS = ['s1', 's2', 's3'] as const;

let temp: TempSqliteStore | undefined;
let opened: OpenedQueue | undefined;
let sink: HttpSink | undefined;
const runners: RunnerProcess[] = [];
const prefix = uniquePrefix('chaosrun');

afterAll(async () => {
  for (const r of runners) r.kill('SIGKILL');
  await Promise.all(runners.map((r) => r.exited));
  await opened?.close();
  await sink?.close();
  await temp?.cleanup();
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

describe('chaos: kill -9 the runner with 500 runs in flight', () => {
  it('a new runner completes every run; no step recorded as completed runs twice; nothing is lost', async () => {
    temp = await createTempSqliteStore();
    const { store } = temp;
    const workspaceId = (await store.workspaces.createWorkspace({ name: 'chaos-runner' })).id;
    opened = openQueue({ redisUrl: SHARED_REDIS_URL, prefix });
    sink = await startHttpSink({ delayMs: 25 });
    const env = { dataDir: temp.dir, encryptionKey: temp.encryptionKey, redisUrl: SHARED_REDIS_URL, prefix, concurrency: 64 };
    const victim = await spawnRunner(env);
    runners.push(victim);
    const wf = await createWorkflow(store, workspaceId, {
      nodes: STEPS.map((id) => httpNode(id, `${sink!.url}/${id}`)),
      edges: [edge('trigger', 's1'), edge('s1', 's2'), edge('s2', 's3')],
    });
    const ids = await startRuns({ store, opened }, wf, RUNS);

    // Kill while a fraction of the work is done: some runs finished, dozens mid-way, most still queued.
    await sink.waitForRequests(Math.floor(RUNS * STEPS.length * 0.25), 60_000);
    victim.kill('SIGKILL');
    await victim.exited;
    const atKill = await Promise.all(ids.map((id) => store.runs.getRun(workspaceId, id)));
    const completedAtKill = new Set(
      atKill.flatMap((run) => (run?.steps ?? []).filter((s) => s.status === 'completed' && s.nodeId !== 'trigger').map((s) => `${run!.id}:${s.nodeId}:1`)),
    );
    const unfinishedAtKill = atKill.filter((r) => r!.status !== 'completed').length;
    expect(completedAtKill.size).toBeGreaterThan(0);
    expect(unfinishedAtKill).toBeGreaterThan(100);

    const killedAt = Date.now();
    runners.push(await spawnRunner(env));
    const runs = await waitForTerminal(store, workspaceId, ids, 150_000);
    const recoveredInMs = Date.now() - killedAt;

    expect(runs.map((r) => r.status).filter((s) => s !== 'completed')).toEqual([]);
    expect(await store.runs.listUnfinishedRuns()).toEqual([]);
    for (const run of runs) {
      expect(run.steps.filter((s) => s.status === 'completed').map((s) => s.nodeId).sort()).toEqual(['s1', 's2', 's3', 'trigger']);
    }
    const counts = new Map<string, number>();
    for (const r of sink.requests) {
      const key = String(r.headers['idempotency-key']);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const id of ids) for (const step of STEPS) expect(counts.get(`${id}:${step}:1`) ?? 0, `${id}:${step}`).toBeGreaterThanOrEqual(1);
    const repeatedCompleted = [...completedAtKill].filter((key) => (counts.get(key) ?? 0) !== 1);
    expect(repeatedCompleted).toEqual([]);
    // A step that was executing at the kill (never recorded) may be sent again, with the same key: at most once more.
    const resent = [...counts].filter(([, c]) => c > 1);
    expect(resent.every(([, c]) => c === 2)).toBe(true);
    expect(new Set(resent.map(([k]) => k.split(':')[0])).size).toBe(resent.length);
    console.info(
      `runner kill -9: ${unfinishedAtKill}/${RUNS} runs unfinished at the kill, ${completedAtKill.size} completed steps none repeated, ` +
        `${resent.length} in-flight steps re-sent with the same key; all ${RUNS} completed ${recoveredInMs} ms after the kill`,
    );
  });
});
