/** Against the real MariaDB on :3306, in a database of our own dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { NonRetriableError } from '@outrun/schemas';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import connector from './index';

const database = `connectors_my_${randomBytes(4).toString('hex')}`;
const credential = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database };
let admin: mysql.Connection;

beforeAll(async () => {
  admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', multipleStatements: true });
  await admin.query(`CREATE DATABASE ${database}; USE ${database}; CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(50) UNIQUE NOT NULL, qty INT NOT NULL)`);
});
afterAll(async () => {
  await admin.query(`DROP DATABASE ${database}`);
  await admin.end();
});

describe('mysql actions', () => {
  it('parameterised query keeps a hostile value a value', async () => {
    const hostile = "x'; DROP TABLE orders; --";
    const { output } = await runAction(connector, 'query', { credential, params: { sql: 'SELECT ? AS v, ? + 1 AS n', values: [hostile, 41] } });
    expect(output).toMatchObject({ rowCount: 1 });
    expect((output as { rows: Array<{ v: string; n: unknown }> }).rows[0]).toMatchObject({ v: hostile });
    expect(Number((output as { rows: Array<{ n: unknown }> }).rows[0]!.n)).toBe(42);
  });

  it('inserts then upserts on the unique key', async () => {
    expect((await runAction(connector, 'insert', { credential, params: { table: 'orders', rows: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] } })).output).toMatchObject({ affectedRows: 2 });
    await runAction(connector, 'insert', { credential, params: { table: 'orders', rows: [{ sku: 'a', qty: 9 }], upsert: true } });
    const [rows] = await admin.query('SELECT sku, qty FROM orders ORDER BY sku');
    expect(rows).toEqual([{ sku: 'a', qty: 9 }, { sku: 'b', qty: 2 }]);
  });

  it('rolls a failing transaction back entirely', async () => {
    const failing = runAction(connector, 'transaction', { credential, params: { statements: [
      { sql: 'INSERT INTO orders (sku, qty) VALUES (?, ?)', values: ['t1', 1] },
      { sql: 'INSERT INTO orders (sku, qty) VALUES (?, ?)', values: ['a', 1] },
    ] } });
    await expect(failing).rejects.toBeInstanceOf(NonRetriableError);
    const [rows] = await admin.query("SELECT COUNT(*) AS n FROM orders WHERE sku = 't1'");
    expect((rows as Array<{ n: number }>)[0]!.n).toBe(0);
    const ok = await runAction(connector, 'transaction', { credential, params: { statements: [{ sql: 'UPDATE orders SET qty = qty + ? WHERE sku = ?', values: [1, 'b'] }] } });
    expect(ok.output).toMatchObject({ committed: true, results: [{ affectedRows: 1 }] });
  });

  it('new-row trigger: once per row across a restart', async () => {
    await admin.query('CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))');
    const cursor = { value: null as string | null };
    const first = await runSource(connector, 'newRows', { credential, cursor, params: { table: 'events', pollIntervalMs: 100 } });
    await admin.query("INSERT INTO events (name) VALUES ('e1'), ('e2')");
    await first.waitFor(2);
    await first.close();
    await admin.query("INSERT INTO events (name) VALUES ('e3')");
    const second = await runSource(connector, 'newRows', { credential, cursor, params: { table: 'events', pollIntervalMs: 100 } });
    await second.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    await second.close();
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(['events:1', 'events:2', 'events:3']);
  });
});
