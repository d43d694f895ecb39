/**
 * The other event sources inside the real listener (temp SQLite store, in-process queue) against the real servers:
 * MariaDB new rows (polling), PostgreSQL new rows woken by LISTEN/NOTIFY, MQTT (QoS 1, persistent session) and NATS
 * JetStream (durable consumer). Each: a producer writes a stream of events while the listener is stopped and
 * restarted in the middle; every event becomes exactly one run — none repeated, none missed.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
import type { JsonValue, TriggerInput } from '@outrun/schemas';
import mysqlConnector from '@outrun/connector-mysql';
import postgresConnector from '@outrun/connector-postgres';
import mqttConnector from '@outrun/connector-mqtt';
import natsConnector from '@outrun/connector-nats';
import { createNetworkGuard } from '@outrun/connector-kit';
import { useEventSourceFixture } from './event-source-fixture';
import { createWorkflow, eventually } from './fixtures';

const id = `r2conn_${randomBytes(4).toString('hex')}`;
const { setup, listen, stopListener, onCleanup, sourceRuns, takeQueuedRuns } = useEventSourceFixture([mysqlConnector, postgresConnector, mqttConnector, natsConnector]);

/**
 * Activates `trigger`, produces events 1..total/2, stops the listener once a quarter are recorded, produces another
 * quarter while no listener runs, starts a new listener, produces the rest; then each n must be in exactly one run.
 */
async function exactlyOnceAcrossRestart(opts: {
  name: string;
  trigger: (credentialId: string) => TriggerInput;
  credential: Record<string, JsonValue>;
  total: number;
  produce: (n: number) => Promise<void>;
  nOf: (payload: unknown) => number;
  /** Time the source needs to subscribe before the first event (a new consumer starts at new messages). */
  warmupMs?: number;
}) {
  const { store, ws } = await setup(opts.name);
  const cred = await store.credentials.create(ws, { name: opts.name, type: 'generic', data: opts.credential });
  const trigger = opts.trigger(cred.id);
  await createWorkflow(store, ws, [trigger]);
  takeQueuedRuns(store, ws);
  await listen(store);
  await new Promise((r) => setTimeout(r, opts.warmupMs ?? 500));
  const produce = async (from: number, to: number) => {
    for (let n = from; n <= to; n++) {
      await opts.produce(n);
      if (n % 5 === 0) await new Promise((r) => setTimeout(r, 10));
    }
  };
  const half = Math.floor(opts.total / 2);
  const quarter = Math.floor(opts.total / 4);
  await produce(1, half);
  await eventually(async () => (await sourceRuns(store, ws)).length >= quarter, 20_000, `${opts.name}: a quarter of the runs`);
  // Stop in the middle of the stream (some of the first half not yet recorded); events go on arriving while down.
  await stopListener();
  await produce(half + 1, half + quarter);
  await listen(store);
  await produce(half + quarter + 1, opts.total);
  await eventually(async () => (await sourceRuns(store, ws)).length >= opts.total, 30_000, `${opts.name}: ${opts.total} runs`);
  // Let any late redelivery land before counting.
  await new Promise((r) => setTimeout(r, 700));
  const runs = await sourceRuns(store, ws);
  const ns = runs.map((r) => opts.nOf(r.triggeredBy.payload)).sort((a, b) => a - b);
  expect(ns).toEqual(Array.from({ length: opts.total }, (_, i) => i + 1));
  expect(runs[0]!.triggeredBy).toMatchObject({ type: 'event_source', triggerId: trigger.id });
  const stats = await eventually(async () => {
    const s = await store.triggers.getTriggerStats(ws, trigger.id!);
    return s.runsStarted >= opts.total ? s : null;
  }, 15_000, 'stats flushed'); // flushed on an interval: generous under a full parallel suite
  expect(stats.runsStarted).toBe(opts.total);
  return { store, ws, runs };
}

describe('event sources: exactly once across a listener restart mid-stream', () => {
  it('MariaDB new rows (cursor polling)', async () => {
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', multipleStatements: true });
    onCleanup(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${id}`);
      await admin.end();
    });
    await admin.query(`CREATE DATABASE ${id}; CREATE TABLE ${id}.orders (id INT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL)`);
    const { runs } = await exactlyOnceAcrossRestart({
      name: 'mysql',
      credential: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: id },
      trigger: (credentialId) => ({ id: 'orders', type: 'event_source', config: { source: 'mysql.newRows@1', credentialId, params: { table: 'orders', pollIntervalMs: 100 }, capacity: 8 } }),
      total: 60,
      produce: async (n) => void (await admin.query(`INSERT INTO ${id}.orders (n) VALUES (?)`, [n])),
      nOf: (p) => (p as { row: { n: number } }).row.n,
    });
    expect(runs[0]!.idempotencyKey).toMatch(/^source:orders:orders:\d+$/);
  });

  it('PostgreSQL new rows woken by LISTEN/NOTIFY (no polling in between)', async () => {
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    onCleanup(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${id} CASCADE`);
      await admin.end();
    });
    await admin.query(`CREATE SCHEMA ${id}; CREATE TABLE ${id}.leads (id serial PRIMARY KEY, n int NOT NULL);
      CREATE FUNCTION ${id}.notify_lead() RETURNS trigger AS $$ BEGIN PERFORM pg_notify('${id}_leads', NEW.id::text); RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER lead_inserted AFTER INSERT ON ${id}.leads FOR EACH ROW EXECUTE FUNCTION ${id}.notify_lead();`);
    const started = Date.now();
    const { runs } = await exactlyOnceAcrossRestart({
      name: 'postgres',
      credential: { host: '127.0.0.1', user: 'postgres', database: 'test' },
      // One poll an hour: only the NOTIFY (and the poll each new source makes when it opens) finds the rows.
      trigger: (credentialId) => ({ id: 'leads', type: 'event_source', config: { source: 'postgres.newRows@1', credentialId, params: { schema: id, table: 'leads', pollIntervalMs: 3_600_000, notifyChannel: `${id}_leads` }, capacity: 8 } }),
      total: 60,
      produce: async (n) => void (await admin.query(`INSERT INTO ${id}.leads (n) VALUES ($1)`, [n])),
      nOf: (p) => (p as { row: { n: number } }).row.n,
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(runs[0]!.idempotencyKey).toMatch(new RegExp(`^source:leads:${id}\\.leads:\\d+$`));
  });

  it('MQTT topic filter (QoS 1, persistent session keeps what arrives while the listener is down)', async () => {
    const producer = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5, clientId: `${id}_producer` });
    onCleanup(async () => void (await producer.endAsync()));
    const { runs, ws } = await exactlyOnceAcrossRestart({
      name: 'mqtt',
      credential: { host: '127.0.0.1', port: 1883 },
      trigger: (credentialId) => ({ id: 'sensors', type: 'event_source', config: { source: 'mqtt.topicMessages@1', credentialId, params: { topicFilter: `${id}/sensors/+`, idField: 'reading' }, capacity: 8 } }),
      total: 60,
      produce: async (n) => void (await producer.publishAsync(`${id}/sensors/${n % 3}`, JSON.stringify({ reading: `r${n}`, n }), { qos: 1 })),
      nOf: (p) => (p as { message: { n: number } }).message.n,
    });
    // Ends the trigger's persistent session on the broker (runs after the listener is closed).
    onCleanup(async () => void (await (await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5, clean: true, clientId: `outrun-${ws}-sensors`.replace(/[^A-Za-z0-9_-]/g, '_') })).endAsync()));
    expect(runs[0]!.idempotencyKey).toMatch(new RegExp(`^source:sensors:${id}/sensors/\\d:r\\d+$`));
  });

  it('NATS JetStream durable consumer', async () => {
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const stream = id.toUpperCase();
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${id}.>`] });
    onCleanup(async () => {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    });
    const js = nc.jetstream();
    const { runs } = await exactlyOnceAcrossRestart({
      name: 'nats',
      credential: { servers: ['127.0.0.1:4222'] },
      trigger: (credentialId) => ({ id: 'events', type: 'event_source', config: { source: 'nats.durableMessages@1', credentialId, params: { stream, filterSubject: `${id}.orders` }, capacity: 8 } }),
      total: 60,
      produce: async (n) => void (await js.publish(`${id}.orders`, new TextEncoder().encode(JSON.stringify({ n })))),
      nOf: (p) => (p as { message: { n: number } }).message.n,
    });
    expect(runs[0]!.idempotencyKey).toMatch(new RegExp(`^source:events:${stream}:\\d+$`));
  });
});

describe('event sources: the outbound policy', () => {
  it('a credential naming a private host not on the allow list is refused (OUT_ERR_SSRF_BLOCKED), nothing is read', async () => {
    const { store, ws } = await setup('guard');
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    onCleanup(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${id}_guard CASCADE`);
      await admin.end();
    });
    await admin.query(`CREATE SCHEMA ${id}_guard; CREATE TABLE ${id}_guard.t (id serial PRIMARY KEY, n int); INSERT INTO ${id}_guard.t (n) VALUES (1)`);
    const cred = await store.credentials.create(ws, { name: 'pg', type: 'generic', data: { host: '127.0.0.1', user: 'postgres', database: 'test' } });
    await createWorkflow(store, ws, [{ id: 'rows', type: 'event_source', config: { source: 'postgres.newRows@1', credentialId: cred.id, params: { schema: `${id}_guard`, table: 't', pollIntervalMs: 100, fromStart: true } } }]);
    // The production default: private addresses refused, nothing allow-listed.
    await listen(store, { networkGuard: createNetworkGuard() });
    const error = await eventually(async () => (await store.triggers.getTriggerStats(ws, 'rows')).lastError, 5000, 'the refusal');
    expect(error).toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    expect(error.message).toContain('127.0.0.1:5432');
    expect(await sourceRuns(store, ws)).toHaveLength(0);
  });
});
