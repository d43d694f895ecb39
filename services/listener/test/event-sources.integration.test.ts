/**
 * Event-source triggers through the real listener (temp SQLite store, in-process queue) against the real Redis,
 * RabbitMQ and PostgreSQL: one recorded run per event, exactly once across a restart and a forced redelivery,
 * statistics, pause/resume and back-pressure.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import amqp from 'amqplib';
import pg from 'pg';
import redisConnector from '@outrun/connector-redis';
import rabbitConnector from '@outrun/connector-rabbitmq';
import postgresConnector from '@outrun/connector-postgres';
import { useEventSourceFixture } from './event-source-fixture';
import { createWorkflow, eventually } from './fixtures';

const { setup, listen, onCleanup, sourceRuns, takeQueuedRuns } = useEventSourceFixture([redisConnector, rabbitConnector, postgresConnector]);

describe('redis stream event source', () => {
  it('one run per entry, exactly once across a listener restart and a full redelivery', async () => {
    const { store, ws } = await setup('redis-source');
    const prefix = `connectors:${randomBytes(4).toString('hex')}:`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379 });
    onCleanup(async () => {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
    });
    const cred = await store.credentials.create(ws, { name: 'redis', type: 'generic', data: { host: '127.0.0.1', port: 6379, keyPrefix: prefix } });
    await admin.xgroup('CREATE', `${prefix}orders`, 'outrun', '$', 'MKSTREAM');
    takeQueuedRuns(store, ws);
    await createWorkflow(store, ws, [{ id: 'orders', type: 'event_source', config: { source: 'redis.streamEntries@1', credentialId: cred.id, params: { stream: 'orders', blockMs: 200 }, capacity: 8 } }]);
    let running = await listen(store);
    const total = 120;
    const producer = (async () => {
      for (let i = 1; i <= total; i++) {
        await admin.xadd(`${prefix}orders`, '*', 'n', String(i));
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 15));
      }
    })();
    // Restart in the middle of the stream.
    await eventually(async () => (await sourceRuns(store, ws)).length >= 30, 15_000, '30 runs');
    await running.close();
    running = await listen(store);
    await producer;
    const runs = await eventually(async () => {
      const r = await sourceRuns(store, ws);
      return r.length >= total ? r : null;
    }, 20_000, `${total} runs`);
    const ns = runs.map((r) => Number((r.triggeredBy.payload as { fields: { n: string } }).fields.n)).sort((a, b) => a - b);
    expect(ns).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(runs[0]!.idempotencyKey).toMatch(/^source:orders:orders:\d+-\d+$/);
    expect(runs[0]!.triggeredBy).toMatchObject({ type: 'event_source', source: 'redis.streamEntries@1', triggerId: 'orders' });
    expect(((await admin.xpending(`${prefix}orders`, 'outrun')) as [number])[0]).toBe(0);
    // Every entry delivered again (as after a crash between recording and acking): no new run.
    await running.close();
    await admin.xgroup('SETID', `${prefix}orders`, 'outrun', '0');
    running = await listen(store);
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'orders');
      return s.duplicatesDropped >= total ? s : null;
    }, 20_000, 'duplicates dropped');
    expect((await sourceRuns(store, ws)).length).toBe(total);
    expect(stats).toMatchObject({ fires: total, runsStarted: total });
    // All `total` redelivered entries were dropped; an entry recorded but not yet acked when the first listener
    // closed is redelivered to the second one and dropped too (seen under load), so at least `total`.
    expect(stats.duplicatesDropped).toBeGreaterThanOrEqual(total);
    expect(stats.duplicatesDropped).toBeLessThanOrEqual(total + 8); // at most the source's in-flight capacity (8) more
  });

  it('pausing the workflow closes the source; resuming delivers what arrived meanwhile', async () => {
    const { store, ws } = await setup('redis-pause');
    const prefix = `connectors:${randomBytes(4).toString('hex')}:`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379 });
    onCleanup(async () => {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
    });
    const cred = await store.credentials.create(ws, { name: 'redis', type: 'generic', data: { host: '127.0.0.1', port: 6379, keyPrefix: prefix } });
    await admin.xgroup('CREATE', `${prefix}s`, 'outrun', '$', 'MKSTREAM');
    const wf = await createWorkflow(store, ws, [{ id: 'p', type: 'event_source', config: { source: 'redis.streamEntries@1', credentialId: cred.id, params: { stream: 's', blockMs: 200 } } }]);
    const running = await listen(store);
    await admin.xadd(`${prefix}s`, '*', 'n', '1');
    await eventually(async () => (await sourceRuns(store, ws)).length === 1, 10_000, 'first run');
    await store.workflows.setWorkflowStatus(ws, wf.id, 'paused');
    await running.listener.syncTriggers();
    await admin.xadd(`${prefix}s`, '*', 'n', '2');
    await new Promise((r) => setTimeout(r, 600));
    expect(await sourceRuns(store, ws)).toHaveLength(1);
    await store.workflows.setWorkflowStatus(ws, wf.id, 'active');
    await running.listener.syncTriggers();
    await eventually(async () => (await sourceRuns(store, ws)).length === 2, 10_000, 'run after resume');
  });

  it('back-pressure: with no runner taking jobs, the source stops pulling at the queued-run limit', async () => {
    const { store, ws } = await setup('redis-backpressure');
    const prefix = `connectors:${randomBytes(4).toString('hex')}:`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379 });
    onCleanup(async () => {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
    });
    const cred = await store.credentials.create(ws, { name: 'redis', type: 'generic', data: { host: '127.0.0.1', port: 6379, keyPrefix: prefix } });
    await admin.xgroup('CREATE', `${prefix}bp`, 'outrun', '$', 'MKSTREAM');
    await createWorkflow(store, ws, [{ id: 'bp', type: 'event_source', config: { source: 'redis.streamEntries@1', credentialId: cred.id, params: { stream: 'bp', blockMs: 200 }, capacity: 2 } }]);
    await listen(store);
    for (let i = 1; i <= 40; i++) await admin.xadd(`${prefix}bp`, '*', 'n', String(i));
    await eventually(async () => (await sourceRuns(store, ws)).length >= 8, 10_000, '8 runs');
    await new Promise((r) => setTimeout(r, 800));
    const held = (await sourceRuns(store, ws)).length;
    // capacity 2 → at most 8 queued runs, plus the deliveries already past the check.
    expect(held).toBeLessThanOrEqual(12);
    // Runners catch up (runs leave `queued`): the source drains the rest.
    const start = async () => {
      for (const run of await sourceRuns(store, ws)) if (run.status === 'queued') await store.runs.markRunning(ws, run.id, { attempt: 1, at: new Date().toISOString() });
    };
    await eventually(async () => {
      await start();
      return (await sourceRuns(store, ws)).length === 40;
    }, 20_000, 'all 40 runs');
  });
});

describe('rabbitmq queue event source', () => {
  it('a run per message; the queue is empty once every run is recorded', async () => {
    const { store, ws } = await setup('rabbit-source');
    const vhost = `connectors-${randomBytes(4).toString('hex')}`;
    execFileSync('rabbitmqctl', ['add_vhost', vhost], { stdio: 'pipe' });
    execFileSync('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'], { stdio: 'pipe' });
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:5672/${vhost}`);
    onCleanup(async () => {
      await conn.close().catch(() => undefined);
      execFileSync('rabbitmqctl', ['delete_vhost', vhost], { stdio: 'pipe' });
    });
    const ch = await conn.createChannel();
    await ch.assertQueue('orders', { durable: true });
    const cred = await store.credentials.create(ws, { name: 'rabbit', type: 'generic', data: { host: '127.0.0.1', vhost } });
    await createWorkflow(store, ws, [{ id: 'q', type: 'event_source', config: { source: 'rabbitmq.queueMessages@1', credentialId: cred.id, params: { queue: 'orders' }, capacity: 4 } }]);
    takeQueuedRuns(store, ws);
    await listen(store);
    for (let i = 1; i <= 20; i++) ch.sendToQueue('orders', Buffer.from(JSON.stringify({ order: i })), { messageId: `order-${i}` });
    // The same message published twice (a producer retry): one run.
    ch.sendToQueue('orders', Buffer.from(JSON.stringify({ order: 1 })), { messageId: 'order-1' });
    await eventually(async () => (await ch.checkQueue('orders')).messageCount === 0 && (await sourceRuns(store, ws)).length === 20, 15_000, '20 runs');
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'q');
      return s.duplicatesDropped === 1 && s.fires === 20 ? s : null;
    }, 5000, 'stats');
    expect(stats.lastFiredAt).not.toBeNull();
  });
});

describe('postgres new-row event source', () => {
  it('a run per new row; a missing credential shows as the trigger error', async () => {
    const { store, ws } = await setup('pg-source');
    const schema = `connectors_src_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    onCleanup(async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    });
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.leads (id serial PRIMARY KEY, email text)`);
    const cred = await store.credentials.create(ws, { name: 'pg', type: 'generic', data: { host: '127.0.0.1', user: 'postgres', database: 'test' } });
    await createWorkflow(store, ws, [
      { id: 'leads', type: 'event_source', config: { source: 'postgres.newRows@1', credentialId: cred.id, params: { schema, table: 'leads', pollIntervalMs: 100 } } },
      { id: 'broken', type: 'event_source', config: { source: 'postgres.newRows@1', credentialId: 'nope', params: { schema, table: 'leads' } } },
      { id: 'future', type: 'event_source', config: { source: 'postgres.newRows@2', credentialId: cred.id, params: { table: 'leads' } } },
    ]);
    await listen(store);
    await new Promise((r) => setTimeout(r, 300));
    await admin.query(`INSERT INTO ${schema}.leads (email) VALUES ('a@x'), ('b@x'), ('c@x')`);
    const runs = await eventually(async () => {
      const r = await sourceRuns(store, ws);
      return r.length === 3 ? r : null;
    }, 10_000, '3 runs');
    expect(runs.map((r) => (r.triggeredBy.payload as { row: { email: string } }).row.email).sort()).toEqual(['a@x', 'b@x', 'c@x']);
    const broken = await eventually(async () => (await store.triggers.getTriggerStats(ws, 'broken')).lastError, 5000, 'broken error');
    expect(broken.code).toBe('OUT_ERR_CONNECTOR_CREDENTIAL');
    const future = await eventually(async () => (await store.triggers.getTriggerStats(ws, 'future')).lastError, 5000, 'future error');
    expect(future.code).toBe('OUT_ERR_CONNECTOR_NOT_INSTALLED');
  });
});
