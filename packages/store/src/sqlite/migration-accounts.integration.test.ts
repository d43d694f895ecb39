/**
 * Migration 8 on a database made before it: existing API keys keep working as admin keys without expiry, the
 * workspace and its rows are untouched, the new tables start empty, and the audit table refuses UPDATE and DELETE.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from './driver';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../shared/api-key';
import { createSqliteStore } from './create-sqlite-store';
import { MIGRATIONS } from './migrations';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sqlite migration 8 (accounts)', () => {
  it('upgrades a version-7 database without losing anything; old keys become admin keys', async () => {
    dir = await mkdtemp(join(tmpdir(), 'accounts-migration-'));
    const file = join(dir, 'outrun.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version <= 7)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }
    raw.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').run('local', 'Local', '2026-01-01T00:00:00.000Z');
    const key = generateApiKey();
    raw.prepare('INSERT INTO api_keys (id, workspace_id, prefix, name, salt, hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)').run('k1', 'local', key.prefix, 'local', key.salt, key.hash, '2026-01-01T00:00:00.000Z');
    raw.close();

    const store = createSqliteStore({ file, encryptionKey: randomBytes(32).toString('hex'), backgroundCheckpointMs: 0 });
    try {
      expect(await store.workspaces.getWorkspace('local')).toMatchObject({ name: 'Local' });
      expect(await store.workspaces.verifyApiKey(key.secret)).toMatchObject({ id: 'k1', workspaceId: 'local', role: 'admin', expiresAt: null });
      expect(await store.accounts.countUsers()).toBe(0);
      await store.accounts.appendAudit({ workspaceId: 'local', actor: { type: 'system', id: 'test' }, action: 'test.appended' });
    } finally {
      await store.close();
    }
    const check = new Database(file);
    expect(check.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.at(-1)!.version });
    expect(() => check.prepare("UPDATE audit_entries SET action = 'forged'").run()).toThrow(/append-only/);
    expect(() => check.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
    check.close();
  });
});
