import { randomUUID } from 'node:crypto';
import { CollectionName, ErrorCode, UserError, type DataChangeEvent, type DataDocument, type JsonObject } from '@outrun/schemas';
import type { DataChangeFeedOptions, DataStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { checkDataFilter, matchesFeed, matchesFilter } from '../shared/data-filter';
import { alreadyExists, compact } from '../shared/errors';
import { assertHistoryKept } from './sqlite-change-log';
import type { SqliteContext } from './sqlite-database';

interface DocRow {
  id: string;
  collection: string;
  data: string;
  created_at: string;
  updated_at: string;
}

interface ChangeRow {
  seq: number;
  workspace_id: string;
  collection: string;
  operation: DataChangeEvent['operation'];
  document_id: string;
  document: string | null;
  before: string | null;
  at: string;
}

/** How often a change feed re-reads the change log for writes of other processes. */
export const CHANGE_POLL_MS = 75;
const FEED_BATCH = 500;
/** Rows scanned per page of `find` with a filter (filtered in process, on the stored JSON). */
const FIND_SCAN_BATCH = 1000;

const toDoc = (r: DocRow): DataDocument => ({ id: r.id, collection: r.collection, data: JSON.parse(r.data) as JsonObject, createdAt: r.created_at, updatedAt: r.updated_at });

function checkCollection(collection: string): void {
  const parsed = CollectionName.safeParse(collection);
  if (!parsed.success) throw new UserError(ErrorCode.VALIDATION, `Invalid collection name "${collection}".`, 400, { details: [{ path: 'collection', message: 'letters, digits, _ and - only (max 64)' }] });
}

function toEvent(r: ChangeRow): DataChangeEvent {
  return compact({
    position: String(r.seq),
    workspaceId: r.workspace_id,
    collection: r.collection,
    operation: r.operation,
    documentId: r.document_id,
    document: r.document === null ? undefined : (JSON.parse(r.document) as JsonObject),
    before: r.before === null ? undefined : (JSON.parse(r.before) as JsonObject),
    at: r.at,
  });
}

function parsePosition(position: string): number {
  if (!/^\d{1,16}$/.test(position)) throw new UserError(ErrorCode.VALIDATION, `Invalid change-feed position "${position}".`, 400, { details: [{ path: 'after', message: 'not a SQLite change-log position' }] });
  return Number(position);
}

/**
 * SQL conditions narrowing a `find` scan for primitive filter values (`json_extract` keeps JSON types: the number 4
 * never equals the text "4"). The exact structural match still runs in process on what is returned.
 */
function sqlPrefilter(filter: JsonObject): { sql: string; params: Array<string | number> } {
  let sql = '';
  const params: Array<string | number> = [];
  for (const [path, value] of Object.entries(filter)) {
    if (path.includes('"') || path.split('.').some((p) => p === '')) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    sql += ' AND json_extract(data, ?) = ?';
    params.push(`$.${path.split('.').map((p) => `"${p}"`).join('.')}`, typeof value === 'boolean' ? Number(value) : value);
  }
  return { sql, params };
}

/** Workspace data collections and their durable change log on SQLite. */
export function createSqliteDataStore(ctx: SqliteContext): DataStore {
  const getRow = (ws: string, collection: string, id: string) => ctx.stmt('SELECT * FROM data_documents WHERE workspace_id = ? AND collection = ? AND id = ?').get(ws, collection, id) as DocRow | undefined;
  const logChange = (ws: string, collection: string, operation: DataChangeEvent['operation'], id: string, document: string | null, before: string | null, at: string) => {
    ctx.stmt('INSERT INTO data_changes (workspace_id, collection, operation, document_id, document, before, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(ws, collection, operation, id, document, before, at);
    ctx.markDataChanged();
  };

  async function* changes(options: DataChangeFeedOptions): AsyncGenerator<DataChangeEvent> {
    const { signal } = options;
    let after =
      options.after !== undefined && options.after !== null
        ? parsePosition(options.after)
        : await ctx.run(() => (ctx.stmt("SELECT coalesce(max(seq), 0) AS s FROM data_changes").get() as { s: number }).s);
    const start = after;
    await ctx.run(() => assertHistoryKept(ctx, start));
    while (!signal?.aborted && !ctx.closed) {
      const rows = await ctx.run(() => ctx.stmt('SELECT * FROM data_changes WHERE seq > ? ORDER BY seq LIMIT ?').all(after, FEED_BATCH) as ChangeRow[]);
      for (const row of rows) {
        after = row.seq;
        if (signal?.aborted) return;
        if (matchesFeed({ workspaceId: row.workspace_id, collection: row.collection, operation: row.operation }, options)) yield toEvent(row);
      }
      if (rows.length < FEED_BATCH) await ctx.waitForDataChange(CHANGE_POLL_MS, signal);
    }
  }

  return {
    insert: (workspaceId, collection, data, options) =>
      ctx.run(() => {
        checkCollection(collection);
        // the commit wakes same-process feeds (other processes notice by polling)
        return ctx.write(() => {
          const now = ctx.now();
          const row: DocRow = { id: options?.id ?? randomUUID(), collection, data: JSON.stringify(data), created_at: now, updated_at: now };
          const r = ctx.stmt('INSERT INTO data_documents (workspace_id, collection, id, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(workspaceId, collection, row.id, row.data, now, now);
          if (r.changes === 0) throw alreadyExists('Document', row.id);
          logChange(workspaceId, collection, 'insert', row.id, row.data, null, now);
          return toDoc(row);
        });
      }),
    get: (workspaceId, collection, id) =>
      ctx.run(() => {
        const row = getRow(workspaceId, collection, id);
        return row ? toDoc(row) : null;
      }),
    update: (workspaceId, collection, id, patch) =>
      ctx.run(() =>
        ctx.write(() => {
          const row = getRow(workspaceId, collection, id);
          if (!row) return null;
          const now = ctx.now();
          const data = JSON.stringify({ ...(JSON.parse(row.data) as JsonObject), ...patch });
          ctx.stmt('UPDATE data_documents SET data = ?, updated_at = ? WHERE workspace_id = ? AND collection = ? AND id = ?').run(data, now, workspaceId, collection, id);
          logChange(workspaceId, collection, 'update', id, data, row.data, now);
          return toDoc({ ...row, data, updated_at: now });
        }),
      ),
    delete: (workspaceId, collection, id) =>
      ctx.run(() =>
        ctx.write(() => {
          const row = getRow(workspaceId, collection, id);
          if (!row) return false;
          ctx.stmt('DELETE FROM data_documents WHERE workspace_id = ? AND collection = ? AND id = ?').run(workspaceId, collection, id);
          logChange(workspaceId, collection, 'delete', id, null, row.data, ctx.now());
          return true;
        }),
      ),
    find: (workspaceId, collection, options = {}) =>
      ctx.run(() => {
        const limit = pageLimit(options.limit);
        let [createdAt, id] = options.cursor ? decodeCursor(options.cursor, ['string', 'string']) : ['', ''];
        const filter = options.filter ?? {};
        checkDataFilter(filter);
        const items: DataDocument[] = [];
        const budget = options.maxBytes ?? Infinity;
        let bytes = 0;
        let more = false;
        // Scan in created order, filtering in process, until a page plus one is found or the collection ends.
        const pushed = sqlPrefilter(filter);
        for (;;) {
          const rows = ctx
            .stmt(`SELECT * FROM data_documents WHERE workspace_id = ? AND collection = ? AND (created_at, id) > (?, ?)${pushed.sql} ORDER BY created_at, id LIMIT ?`)
            .all(workspaceId, collection, createdAt, id, ...pushed.params, FIND_SCAN_BATCH) as DocRow[];
          for (const row of rows) {
            [createdAt, id] = [row.created_at, row.id];
            const doc = toDoc(row);
            if (!matchesFilter(doc.data, filter)) continue;
            if (items.length === limit || (items.length > 0 && bytes + row.data.length > budget)) {
              more = true;
              break;
            }
            bytes += row.data.length;
            items.push(doc);
          }
          if (more || rows.length < FIND_SCAN_BATCH) break;
        }
        const last = items.at(-1);
        return { items, nextCursor: more && last ? encodeCursor([last.createdAt, last.id]) : null };
      }),
    listCollections: (workspaceId) => ctx.run(() => (ctx.stmt('SELECT DISTINCT collection FROM data_documents WHERE workspace_id = ? ORDER BY collection').all(workspaceId) as Array<{ collection: string }>).map((r) => r.collection)),
    changes,
  };
}
