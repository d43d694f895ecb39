/** MySQL / MariaDB: parameterised queries (`?`), insert/upsert (ON DUPLICATE KEY UPDATE), transactions, new-row trigger. */
import { z } from 'zod';
import { defineAction, defineConnector, defineTrigger, startPolling } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import { mysqlCredential } from './credential';
import { ident, withConnection } from './connect';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,63}$/, 'a plain SQL identifier (letters, digits, _)');
const Value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const Statement = z.object({
  sql: z.string().min(1).max(100_000).describe('SQL with ? placeholders; values are sent separately, never spliced in'),
  values: z.array(Value).max(10_000).default([]),
});
const bind = (values: readonly unknown[]) => values.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v));
const json = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue;

/** Rows for SELECT-like statements, the write summary otherwise. */
function summarise(result: unknown, maxRows: number): JsonValue {
  if (Array.isArray(result)) return { rows: json(result.slice(0, maxRows)), rowCount: result.length, truncated: result.length > maxRows };
  const header = result as { affectedRows?: number; insertId?: number; changedRows?: number };
  return { affectedRows: header.affectedRows ?? 0, insertId: header.insertId ?? null, changedRows: header.changedRows ?? 0 };
}

const query = defineAction({
  label: 'Query',
  description: 'Runs one SQL statement with ? parameters and returns its rows (or the affected-row count).',
  credential: mysqlCredential,
  params: Statement.extend({ maxRows: z.number().int().min(1).max(100_000).default(1000), timeoutMs: z.number().int().min(100).max(600_000).default(30_000) }),
  async run({ params, credential, signal }) {
    const [result] = await withConnection(credential, signal, (c) => c.query({ sql: params.sql, values: bind(params.values), timeout: params.timeoutMs }));
    return summarise(result, params.maxRows);
  },
});

const insert = defineAction({
  label: 'Insert or upsert rows',
  description: 'Inserts rows (column → value); with upsert, a duplicate key updates the existing row (ON DUPLICATE KEY UPDATE).',
  credential: mysqlCredential,
  params: z.object({
    table: Identifier,
    rows: z.array(z.record(Identifier, Value)).min(1).max(10_000),
    upsert: z.boolean().default(false),
  }),
  async run({ params, credential, signal }) {
    const columns = [...new Set(params.rows.flatMap((row) => Object.keys(row)))];
    const values = params.rows.flatMap((row) => bind(columns.map((c) => row[c] ?? null)));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const update = params.upsert ? ` ON DUPLICATE KEY UPDATE ${columns.map((c) => `${ident(c)} = VALUES(${ident(c)})`).join(', ')}` : '';
    const sql = `INSERT INTO ${ident(params.table)} (${columns.map(ident).join(', ')}) VALUES ${params.rows.map(() => tuple).join(', ')}${update}`;
    const [result] = await withConnection(credential, signal, (c) => c.query({ sql, values }));
    return summarise(result, 0);
  },
});

const transaction = defineAction({
  label: 'Transaction',
  description: 'Runs several parameterised statements in one transaction: all commit, or none.',
  credential: mysqlCredential,
  params: z.object({ statements: z.array(Statement).min(1).max(1000) }),
  async run({ params, credential, signal }) {
    return withConnection(credential, signal, async (c) => {
      await c.beginTransaction();
      try {
        const results: JsonValue[] = [];
        for (const statement of params.statements) {
          const [result] = await c.query({ sql: statement.sql, values: bind(statement.values) });
          results.push(summarise(result, 1000));
        }
        await c.commit();
        return { committed: true, results };
      } catch (err) {
        await c.rollback().catch(() => undefined);
        throw err;
      }
    });
  },
});

const newRows = defineTrigger({
  label: 'New row',
  description: 'Starts a run for each new row of a table, polling with a cursor column (an AUTO_INCREMENT id).',
  credential: mysqlCredential,
  params: z.object({
    table: Identifier,
    cursorColumn: Identifier.default('id'),
    pollIntervalMs: z.number().int().min(100).max(3_600_000).default(5000),
    fromStart: z.boolean().default(false),
  }),
  async open(ctx) {
    const { params, credential, signal } = ctx;
    const table = ident(params.table);
    const column = ident(params.cursorColumn);
    return startPolling(ctx, {
      intervalMs: params.pollIntervalMs,
      async initialCursor() {
        if (params.fromStart) return null;
        const [rows] = await withConnection(credential, signal, (c) => c.query(`SELECT CAST(MAX(${column}) AS CHAR) AS m FROM ${table}`));
        return ((rows as Array<{ m: string | null }>)[0]?.m) ?? null;
      },
      async fetch(cursor, limit) {
        const [rows] = await withConnection(credential, signal, (c) => cursor === null
          ? c.query({ sql: `SELECT *, CAST(${column} AS CHAR) AS __outrun_cursor FROM ${table} ORDER BY ${column} LIMIT ?`, values: [limit] })
          : c.query({ sql: `SELECT *, CAST(${column} AS CHAR) AS __outrun_cursor FROM ${table} WHERE ${column} > ? ORDER BY ${column} LIMIT ?`, values: [cursor, limit] }));
        return (rows as Array<Record<string, unknown>>).map(({ __outrun_cursor, ...row }) => ({
          cursor: String(__outrun_cursor),
          event: { id: `${params.table}:${String(__outrun_cursor)}`, payload: { table: params.table, row: json(row) } },
        }));
      },
    });
  },
});

export default defineConnector({
  name: 'mysql',
  version: '1.0.0',
  label: 'MySQL / MariaDB',
  description: 'Query, insert/upsert and transactions on MySQL or MariaDB; a trigger on new rows.',
  category: 'database',
  icon: 'database',
  credentials: { connection: mysqlCredential },
  actions: { query, insert, transaction },
  triggers: { newRows },
});
