/** PostgreSQL actions: parameterised query, insert/upsert rows, several statements in one transaction. */
import { z } from 'zod';
import { defineAction } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import { postgresCredential } from './credential';
import { qualified, ident, withClient } from './connect';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'a plain SQL identifier (letters, digits, _)');
const Value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const Statement = z.object({
  sql: z.string().min(1).max(100_000).describe('SQL with $1, $2 … placeholders; values are sent separately, never spliced in'),
  values: z.array(Value).max(10_000).default([]).describe('Values for $1, $2 …'),
});

/** JSON-safe rows (BigInt/Date/Buffer → string), capped. */
function toJsonRows(rows: readonly Record<string, unknown>[], maxRows: number): JsonValue[] {
  return rows.slice(0, maxRows).map((row) => JSON.parse(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue);
}

export const query = defineAction({
  label: 'Query',
  description: 'Runs one SQL statement with parameters ($1, $2 …) and returns its rows.',
  credential: postgresCredential,
  params: Statement.extend({
    maxRows: z.number().int().min(1).max(100_000).default(1000).describe('Rows returned at most (the rest are dropped, `truncated` says so)'),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  }),
  async run({ params, credential, signal, log }) {
    const result = await withClient(credential, signal, (client) => client.query({ text: params.sql, values: params.values }), { statementTimeoutMs: params.timeoutMs });
    log.info('postgres query', { rowCount: result.rowCount, command: result.command });
    return { rows: toJsonRows(result.rows, params.maxRows), rowCount: result.rowCount ?? 0, command: result.command, truncated: result.rows.length > params.maxRows };
  },
});

export const insert = defineAction({
  label: 'Insert or upsert rows',
  description: 'Inserts rows (objects of column → value); with conflict columns, updates the existing row instead (upsert).',
  credential: postgresCredential,
  params: z.object({
    schema: Identifier.default('public'),
    table: Identifier,
    rows: z.array(z.record(Identifier, Value)).min(1).max(10_000).describe('Rows to write: column → value'),
    conflictColumns: z.array(Identifier).max(32).default([]).describe('Upsert: on a conflict on these columns, update the other columns'),
    returning: z.boolean().default(true),
  }),
  async run({ params, credential, signal }) {
    const columns = [...new Set(params.rows.flatMap((row) => Object.keys(row)))];
    const values: unknown[] = [];
    const tuples = params.rows.map((row) => `(${columns.map((column) => {
      const value = row[column];
      values.push(value !== null && typeof value === 'object' ? JSON.stringify(value) : (value ?? null));
      return `$${values.length}`;
    }).join(', ')})`);
    const updates = columns.filter((c) => !params.conflictColumns.includes(c)).map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`);
    const conflict = params.conflictColumns.length === 0 ? '' : ` ON CONFLICT (${params.conflictColumns.map(ident).join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
    const sql = `INSERT INTO ${qualified(params.schema, params.table)} (${columns.map(ident).join(', ')}) VALUES ${tuples.join(', ')}${conflict}${params.returning ? ' RETURNING *' : ''}`;
    const result = await withClient(credential, signal, (client) => client.query({ text: sql, values }));
    return { rowCount: result.rowCount ?? 0, rows: toJsonRows(result.rows, 10_000) };
  },
});

export const transaction = defineAction({
  label: 'Transaction',
  description: 'Runs several parameterised statements in one transaction: all commit, or none (rolled back on the first error).',
  credential: postgresCredential,
  params: z.object({
    statements: z.array(Statement).min(1).max(1000),
    isolation: z.enum(['read committed', 'repeatable read', 'serializable']).default('read committed'),
  }),
  async run({ params, credential, signal }) {
    return withClient(credential, signal, async (client) => {
      await client.query(`BEGIN ISOLATION LEVEL ${params.isolation.toUpperCase()}`);
      try {
        const results: JsonValue[] = [];
        for (const statement of params.statements) {
          const result = await client.query({ text: statement.sql, values: statement.values });
          results.push({ rowCount: result.rowCount ?? 0, rows: toJsonRows(result.rows, 1000) });
        }
        await client.query('COMMIT');
        return { committed: true, results };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  },
});
