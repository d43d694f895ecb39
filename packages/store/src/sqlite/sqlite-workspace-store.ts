import { randomUUID } from 'node:crypto';
import type { ApiKeyInfo, Role, Workspace } from '@outrun/schemas';
import type { WorkspaceStore } from '../ports';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from '../shared/api-key';
import { alreadyExists, compact } from '../shared/errors';
import type { SqliteContext } from './sqlite-database';

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  prefix: string;
  name: string | null;
  salt: Buffer;
  hash: Buffer;
  created_at: string;
  last_used_at: string | null;
  role: string;
  expires_at: string | null;
}

/** `lastUsedAt` is rewritten at most this often per key (a write per request would serialise the API). */
const LAST_USED_RESOLUTION_MS = 60_000;
const DUMMY_SALT = Buffer.alloc(16);

const toWorkspace = (r: { id: string; name: string; created_at: string }): Workspace => ({ id: r.id, name: r.name, createdAt: r.created_at });
const toKeyInfo = (r: ApiKeyRow): ApiKeyInfo =>
  compact({ id: r.id, workspaceId: r.workspace_id, prefix: r.prefix, name: r.name ?? undefined, createdAt: r.created_at, lastUsedAt: r.last_used_at, role: r.role as Role, expiresAt: r.expires_at });

/** Workspaces and API keys on SQLite. */
export function createSqliteWorkspaceStore(ctx: SqliteContext): WorkspaceStore {
  return {
    createWorkspace: (input) =>
      ctx.write(() => {
        const row = { id: input.id ?? randomUUID(), name: input.name, created_at: ctx.now() };
        const r = ctx.stmt('INSERT INTO workspaces (id, name, created_at) VALUES (@id, @name, @created_at) ON CONFLICT DO NOTHING').run(row);
        if (r.changes === 0) throw alreadyExists('Workspace', row.id);
        return toWorkspace(row);
      }),
    getWorkspace: (workspaceId) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT id, name, created_at FROM workspaces WHERE id = ?').get(workspaceId) as Parameters<typeof toWorkspace>[0] | undefined;
        return row ? toWorkspace(row) : null;
      }),
    listWorkspaces: () => ctx.run(() => (ctx.stmt('SELECT id, name, created_at FROM workspaces ORDER BY created_at, id').all() as Array<Parameters<typeof toWorkspace>[0]>).map(toWorkspace)),
    createApiKey: (workspaceId, options) =>
      ctx.write(() => {
        const key = generateApiKey();
        const row: ApiKeyRow = { id: randomUUID(), workspace_id: workspaceId, prefix: key.prefix, name: options?.name ?? null, salt: key.salt, hash: key.hash, created_at: ctx.now(), last_used_at: null, role: options?.role ?? 'admin', expires_at: options?.expiresAt ?? null };
        ctx.stmt('INSERT INTO api_keys (id, workspace_id, prefix, name, salt, hash, created_at, last_used_at, role, expires_at) VALUES (@id, @workspace_id, @prefix, @name, @salt, @hash, @created_at, @last_used_at, @role, @expires_at)').run(row);
        return { info: toKeyInfo(row), apiKey: key.secret };
      }),
    listApiKeys: (workspaceId) => ctx.run(() => (ctx.stmt('SELECT * FROM api_keys WHERE workspace_id = ? ORDER BY created_at, id').all(workspaceId) as ApiKeyRow[]).map(toKeyInfo)),
    revokeApiKey: (workspaceId, keyId) => ctx.write(() => ctx.stmt('DELETE FROM api_keys WHERE workspace_id = ? AND id = ?').run(workspaceId, keyId).changes > 0),
    verifyApiKey: async (apiKey) => {
      const row = await ctx.run(() => {
        const prefix = apiKeyPrefix(apiKey);
        const found = prefix === null ? undefined : (ctx.stmt('SELECT * FROM api_keys WHERE prefix = ?').get(prefix) as ApiKeyRow | undefined);
        if (!found) hashApiKey(apiKey, DUMMY_SALT); // same work whether or not the prefix exists
        return found && apiKeyMatches(apiKey, found.salt, found.hash) ? found : null;
      });
      if (!row) return null;
      const now = ctx.now();
      if (row.expires_at !== null && row.expires_at <= now) return null;
      if (row.last_used_at === null || Date.parse(now) - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
        await ctx.write(() => ctx.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id));
        row.last_used_at = now;
      }
      return toKeyInfo(row);
    },
  };
}
