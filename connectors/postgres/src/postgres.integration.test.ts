/** Against the real PostgreSQL on :5432 (database `test`), in a schema of our own dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { OperationalError, NonRetriableError } from '@outrun/schemas';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import postgres from './index';

const schema = `connectors_pg_${randomBytes(4).toString('hex')}`;
const credential = { host: '127.0.0.1', port: 5432, user: 'postgres', password: 'not-a-secret-pw', database: 'test' };
const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.orders (id serial PRIMARY KEY, sku text UNIQUE NOT NULL, qty int NOT NULL, meta jsonb)`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

describe('postgres actions', () => {
  it('runs a parameterised query: a hostile value stays a value', async () => {
    const hostile = "x'; DROP TABLE orders; --";
    const { output } = await runAction(postgres, 'query', { credential, params: { sql: 'SELECT $1::text AS v, $2::int + 1 AS n', values: [hostile, 41] } });
    expect(output).toMatchObject({ rows: [{ v: hostile, n: 42 }], rowCount: 1, command: 'SELECT', truncated: false });
  });

  it('inserts, then upserts on the conflict column', async () => {
    const first = await runAction(postgres, 'insert', { credential, params: { schema, table: 'orders', rows: [{ sku: 'a', qty: 1, meta: { gift: true } }, { sku: 'b', qty: 2 }] } });
    expect(first.output).toMatchObject({ rowCount: 2 });
    const upsert = await runAction(postgres, 'insert', { credential, params: { schema, table: 'orders', rows: [{ sku: 'a', qty: 10 }], conflictColumns: ['sku'] } });
    expect(upsert.output).toMatchObject({ rowCount: 1, rows: [{ sku: 'a', qty: 10 }] });
    const { rows } = await admin.query(`SELECT sku, qty, meta FROM ${schema}.orders ORDER BY sku`);
    expect(rows).toEqual([{ sku: 'a', qty: 10, meta: { gift: true } }, { sku: 'b', qty: 2, meta: null }]);
  });

  it('commits a transaction, and rolls every statement back when one fails', async () => {
    const ok = await runAction(postgres, 'transaction', { credential, params: { statements: [
      { sql: `INSERT INTO ${schema}.orders (sku, qty) VALUES ($1, $2)`, values: ['t1', 1] },
      { sql: `UPDATE ${schema}.orders SET qty = qty + $1 WHERE sku = $2`, values: [5, 't1'] },
    ] } });
    expect(ok.output).toMatchObject({ committed: true });
    const failing = runAction(postgres, 'transaction', { credential, params: { statements: [
      { sql: `INSERT INTO ${schema}.orders (sku, qty) VALUES ($1, $2)`, values: ['t2', 1] },
      { sql: `INSERT INTO ${schema}.orders (sku, qty) VALUES ($1, $2)`, values: ['t1', 1] },
    ] } });
    await expect(failing).rejects.toBeInstanceOf(NonRetriableError);
    const { rows } = await admin.query(`SELECT sku, qty FROM ${schema}.orders WHERE sku LIKE 't%' ORDER BY sku`);
    expect(rows).toEqual([{ sku: 't1', qty: 6 }]);
  });

  it('classifies an unreachable server as retriable and never leaks the password', async () => {
    const err = await runAction(postgres, 'query', { credential: { ...credential, port: 1, password: 'hunter2-secret' }, params: { sql: 'SELECT 1' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationalError);
    expect((err as OperationalError).code).toBe('OUT_ERR_CONNECTOR_UNAVAILABLE');
    expect(String((err as Error).message)).not.toContain('hunter2-secret');
  });

  it('rejects a missing credential as non-retriable', async () => {
    await expect(runAction(postgres, 'query', { params: { sql: 'SELECT 1' } })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_CREDENTIAL' });
  });
});

describe('postgres new-row trigger', () => {
  it('fires once per new row, in order, and a restart repeats nothing and misses nothing', async () => {
    await admin.query(`CREATE TABLE ${schema}.leads (id bigserial PRIMARY KEY, email text)`);
    await admin.query(`INSERT INTO ${schema}.leads (email) VALUES ('before@x')`);
    const cursor = { value: null as string | null };
    const params = { schema, table: 'leads', pollIntervalMs: 100 };
    const first = await runSource(postgres, 'newRows', { credential, params, cursor, capacity: 2 });
    await admin.query(`INSERT INTO ${schema}.leads (email) SELECT 'a' || g FROM generate_series(1, 5) g`);
    const events = await first.waitFor(5);
    await first.close();
    expect(events.map((e) => (e.payload as { row: { email: string } }).row.email)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    // Rows written while stopped are picked up after the restart; none of the first five again.
    await admin.query(`INSERT INTO ${schema}.leads (email) VALUES ('while-down')`);
    const second = await runSource(postgres, 'newRows', { credential, params, cursor });
    await admin.query(`INSERT INTO ${schema}.leads (email) VALUES ('after')`);
    const more = await second.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    await second.close();
    expect(more.map((e) => (e.payload as { row: { email: string } }).row.email)).toEqual(['while-down', 'after']);
  });

  it('does not advance past a row whose run could not be recorded', async () => {
    await admin.query(`CREATE TABLE ${schema}.jobs (id serial PRIMARY KEY, n int)`);
    let refuse = true;
    const source = await runSource(postgres, 'newRows', { credential, params: { schema, table: 'jobs', pollIntervalMs: 100 }, failDelivery: () => refuse });
    await admin.query(`INSERT INTO ${schema}.jobs (n) VALUES (1)`);
    await new Promise((r) => setTimeout(r, 400));
    expect(source.events).toHaveLength(0);
    expect(source.errors.length).toBeGreaterThan(0);
    refuse = false;
    const events = await source.waitFor(1);
    await source.close();
    expect(events[0]!.id).toBe(`${schema}.jobs:1`);
  });

  it('LISTEN/NOTIFY wakes the source long before the poll interval', async () => {
    await admin.query(`CREATE TABLE ${schema}.pings (id serial PRIMARY KEY)`);
    const source = await runSource(postgres, 'newRows', { credential, params: { schema, table: 'pings', pollIntervalMs: 60_000, notifyChannel: 'outrun_pings' } });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await admin.query(`INSERT INTO ${schema}.pings DEFAULT VALUES`);
    await admin.query(`NOTIFY outrun_pings`);
    await source.waitFor(1, 5000);
    await source.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
