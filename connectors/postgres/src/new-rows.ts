/**
 * New rows of a table: polls with a cursor column (an increasing id or timestamp), woken at once by
 * `LISTEN channel` when the table has a trigger that `NOTIFY`s (optional: polling alone misses nothing).
 */
import { z } from 'zod';
import { defineTrigger, startPolling } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import { postgresCredential } from './credential';
import { ident, openClient, qualified, withClient } from './connect';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'a plain SQL identifier (letters, digits, _)');

export const newRows = defineTrigger({
  label: 'New row',
  description: 'Starts a run for each new row of a table, in cursor order (one run per row, exactly once).',
  credential: postgresCredential,
  params: z.object({
    schema: Identifier.default('public'),
    table: Identifier,
    cursorColumn: Identifier.default('id').describe('A column that only grows for new rows (serial id, created_at)'),
    pollIntervalMs: z.number().int().min(100).max(3_600_000).default(5000),
    notifyChannel: Identifier.optional().describe('LISTEN on this channel: a NOTIFY polls at once'),
    fromStart: z.boolean().default(false).describe('Also fire for rows that exist when the trigger is first activated'),
  }),
  async open(ctx) {
    const { params, credential, signal } = ctx;
    const table = qualified(params.schema, params.table);
    const column = ident(params.cursorColumn);
    return startPolling(ctx, {
      intervalMs: params.pollIntervalMs,
      async initialCursor() {
        if (params.fromStart) return null;
        const result = await withClient(credential, signal, (c) => c.query<{ max: unknown }>(`SELECT max(${column})::text AS max FROM ${table}`));
        return (result.rows[0]?.max as string | null) ?? null;
      },
      async fetch(cursor, limit) {
        const where = cursor === null ? '' : `WHERE ${column} > $1`;
        const values = cursor === null ? [limit] : [cursor, limit];
        const result = await withClient(credential, signal, (c) =>
          c.query<Record<string, unknown>>({ text: `SELECT *, ${column}::text AS "__outrun_cursor" FROM ${table} ${where} ORDER BY ${column} LIMIT $${values.length}`, values }));
        return result.rows.map(({ __outrun_cursor, ...row }) => ({
          cursor: String(__outrun_cursor),
          event: { id: `${params.schema}.${params.table}:${String(__outrun_cursor)}`, payload: { table: params.table, schema: params.schema, row: JSON.parse(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue } },
        }));
      },
      ...(params.notifyChannel ? {
        async subscribe(wake: () => void) {
          const client = await openClient(credential);
          client.on('error', (err) => ctx.reportError(err));
          client.on('notification', () => wake());
          await client.query(`LISTEN ${ident(params.notifyChannel!)}`);
          return async () => void (await client.end().catch(() => undefined));
        },
      } : {}),
    });
  },
});
