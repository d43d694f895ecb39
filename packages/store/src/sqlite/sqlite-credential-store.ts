import { randomUUID } from 'node:crypto';
import type { CredentialInfo, JsonObject } from '@outrun/schemas';
import type { CredentialStore } from '../ports';
import type { CredentialCipher } from '../shared/credential-cipher';
import type { SqliteContext } from './sqlite-database';

interface CredentialRow {
  workspace_id: string;
  id: string;
  name: string;
  type: CredentialInfo['type'];
  allowed_hosts: string;
  sealed: string;
  created_at: string;
  updated_at: string;
}

const INFO_COLUMNS = 'workspace_id, id, name, type, allowed_hosts, created_at, updated_at';
const toInfo = (r: Omit<CredentialRow, 'sealed'>): CredentialInfo => ({
  id: r.id, workspaceId: r.workspace_id, name: r.name, type: r.type, allowedHosts: JSON.parse(r.allowed_hosts) as string[], createdAt: r.created_at, updatedAt: r.updated_at,
});
/** Associated data: a sealed secret only opens in the row it was written for. */
const aad = (workspaceId: string, id: string) => `credential:${workspaceId}:${id}`;

/** Credentials encrypted with AES-256-GCM (key id stored with each secret) on SQLite. */
export function createSqliteCredentialStore(ctx: SqliteContext, cipher: CredentialCipher): CredentialStore {
  return {
    create: (workspaceId, input) =>
      ctx.write(() => {
        const now = ctx.now();
        const id = randomUUID();
        const row: CredentialRow = { workspace_id: workspaceId, id, name: input.name, type: input.type, allowed_hosts: JSON.stringify(input.allowedHosts ?? []), sealed: cipher.encrypt(input.data, aad(workspaceId, id)), created_at: now, updated_at: now };
        ctx.stmt('INSERT INTO credentials (workspace_id, id, name, type, allowed_hosts, sealed, created_at, updated_at) VALUES (@workspace_id, @id, @name, @type, @allowed_hosts, @sealed, @created_at, @updated_at)').run(row);
        return toInfo(row);
      }),
    list: (workspaceId) => ctx.run(() => (ctx.stmt(`SELECT ${INFO_COLUMNS} FROM credentials WHERE workspace_id = ? ORDER BY created_at, id`).all(workspaceId) as CredentialRow[]).map(toInfo)),
    getInfo: (workspaceId, credentialId) =>
      ctx.run(() => {
        const r = ctx.stmt(`SELECT ${INFO_COLUMNS} FROM credentials WHERE workspace_id = ? AND id = ?`).get(workspaceId, credentialId) as CredentialRow | undefined;
        return r ? toInfo(r) : null;
      }),
    getSecret: (workspaceId, credentialId) =>
      ctx.run((): JsonObject | null => {
        const r = ctx.stmt('SELECT sealed FROM credentials WHERE workspace_id = ? AND id = ?').get(workspaceId, credentialId) as { sealed: string } | undefined;
        return r ? cipher.decrypt(r.sealed, aad(workspaceId, credentialId)) : null;
      }),
    updateSecret: (workspaceId, credentialId, data) =>
      ctx.write(() => {
        const sealed = cipher.encrypt(data, aad(workspaceId, credentialId));
        return ctx.stmt('UPDATE credentials SET sealed = ?, updated_at = ? WHERE workspace_id = ? AND id = ?').run(sealed, ctx.now(), workspaceId, credentialId).changes > 0;
      }),
    setAllowedHosts: (workspaceId, credentialId, allowedHosts) =>
      ctx.write(() => {
        const r = ctx.stmt(`UPDATE credentials SET allowed_hosts = ?, updated_at = ? WHERE workspace_id = ? AND id = ? RETURNING ${INFO_COLUMNS}`).get(JSON.stringify(allowedHosts), ctx.now(), workspaceId, credentialId) as
          | CredentialRow
          | undefined;
        return r ? toInfo(r) : null;
      }),
    delete: (workspaceId, credentialId) => ctx.write(() => ctx.stmt('DELETE FROM credentials WHERE workspace_id = ? AND id = ?').run(workspaceId, credentialId).changes > 0),
  };
}
