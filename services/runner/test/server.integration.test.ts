import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
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

/** A non-loopback IPv4 address of this machine, to connect from a peer that is not 127.0.0.1. */
const externalIp = Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;

describe('runner /metrics access', () => {
  it('answers loopback peers, refuses other peers (403), and with a token requires it from everyone', async () => {
    temp = await createTempSqliteStore();
    const opened = openQueue({});
    const runner = createRunner({ store: temp.store, queue: opened.queue, events: opened.events, catalog: createNodeCatalog(), logger: silentLogger });
    await request(createRunnerServer(runner)).get('/metrics').expect(200);
    if (externalIp === undefined) console.warn('[runner] no non-loopback IPv4 address: skipped the remote-peer /metrics check');
    else {
      const server = createServer(createRunnerServer(runner));
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
      try {
        const remote = await fetch(`http://${externalIp}:${(server.address() as AddressInfo).port}/metrics`);
        expect(remote.status).toBe(403);
        expect(((await remote.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_METRICS_FORBIDDEN');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
    const guarded = createRunnerServer(runner, { metricsToken: 'metrics-token-0123456789' });
    await request(guarded).get('/metrics').expect(403);
    await request(guarded).get('/metrics').set('authorization', 'Bearer metrics-token-0123456789').expect(200);
    await opened.close();
  });
});

describe('runner env', () => {
  it('has defaults and rejects bad values', () => {
    expect(readRunnerEnv({})).toMatchObject({ RUNNER_HOST: '127.0.0.1', RUNNER_PORT: 3005, RUNNER_CONCURRENCY: 16, RUNNER_GRACE_MS: 10_000, OUTRUN_HTTP_ALLOW_LIST: [] });
    expect(readRunnerEnv({ OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1, 10.0.0.0/8' }).OUTRUN_HTTP_ALLOW_LIST).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => readRunnerEnv({ RUNNER_CONCURRENCY: '0' })).toThrow(/RUNNER_CONCURRENCY/);
  });
});
