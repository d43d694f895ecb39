import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeCatalog } from '@outrun/nodes';
import { openQueue } from '@outrun/queue/open';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createRunner } from '../src/runner';
import { createRunnerServer } from '../src/server';
import { readRunnerEnv } from '../src/env';
import { silentLogger } from './harness';

let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('runner HTTP surface', () => {
  it('answers /healthz, /readyz (503 once the queue is gone) and /metrics', async () => {
    temp = await createTempSqliteStore();
    const opened = openQueue({});
    const runner = createRunner({ store: temp.store, queue: opened.queue, events: opened.events, catalog: createNodeCatalog(), logger: silentLogger });
    const app = createRunnerServer(runner);
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    const metrics = await request(app).get('/metrics').expect(200);
    for (const name of ['outrun_runs_started_total', 'outrun_runs_finished_total', 'outrun_step_duration_seconds', 'outrun_queue_depth', 'outrun_active_runs']) expect(metrics.text).toContain(name);
    await opened.close();
    const down = await request(app).get('/readyz').expect(503);
    expect(down.body.error.code).toBe('OUT_ERR_UNAVAILABLE');
    await request(app).get('/nope').expect(404);
  });
});

describe('runner env', () => {
  it('has defaults and rejects bad values', () => {
    expect(readRunnerEnv({})).toMatchObject({ RUNNER_PORT: 3005, RUNNER_CONCURRENCY: 16, RUNNER_GRACE_MS: 10_000, OUTRUN_HTTP_ALLOW_LIST: [] });
    expect(readRunnerEnv({ OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1, 10.0.0.0/8' }).OUTRUN_HTTP_ALLOW_LIST).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => readRunnerEnv({ RUNNER_CONCURRENCY: '0' })).toThrow(/RUNNER_CONCURRENCY/);
  });
});
