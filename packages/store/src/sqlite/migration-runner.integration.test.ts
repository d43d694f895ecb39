/**
 * The migration runner applies every migration the file has not recorded, not only those above the highest
 * recorded one: a database migrated by a branch to a later version before a middle one existed still gets it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from './driver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './create-sqlite-store';
import { MIGRATIONS } from './migrations';

const LATEST = MIGRATIONS.at(-1)!.version;
const recordedVersions = (db: Database.Database) => (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migration-runner-'));
  file = join(dir, 'outrun.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Opens and closes a store on the file (which migrates it), then reads the file back raw. */
async function openStoreOnce(): Promise<Database.Database> {
  const store = createSqliteStore({ file, encryptionKey: randomBytes(32).toString('hex'), backgroundCheckpointMs: 0 });
  await store.workspaces.createWorkspace({ name: 'after migration' });
  await store.close();
  return new Database(file, { readonly: true });
}

describe('sqlite migration runner', () => {
  it('applies a middle version the file never recorded (migrated by a branch that lacked it)', async () => {
    const raw = new Database(file);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version !== 7)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    }
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'run_steps_by_ord'").get()).toBeUndefined();
    raw.close();

    const check = await openStoreOnce();
    expect(recordedVersions(check)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'run_steps_by_ord'").get()).toEqual({ name: 'run_steps_by_ord' });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST);
    check.close();
  });

  it('takes a file with only user_version set as migrated up to it, and applies the rest once', async () => {
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) raw.exec(m.sql);
    raw.pragma('user_version = 5');
    raw.close();

    // Re-running migration 1 would fail on its CREATE TABLEs: opening proves 1–5 were not applied again.
    const check = await openStoreOnce();
    expect(recordedVersions(check)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST);
    check.close();
  });

  it('a new file records every version and sets user_version to the latest', async () => {
    const check = await openStoreOnce();
    expect(recordedVersions(check)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST);
    check.close();
  });

  it('refuses a file that recorded a version newer than this build knows', async () => {
    const raw = new Database(file);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(LATEST + 1, 'from the future', '2026-01-01T00:00:00.000Z');
    raw.close();
    expect(() => createSqliteStore({ file, encryptionKey: randomBytes(32).toString('hex'), backgroundCheckpointMs: 0 })).toThrow(/newer than this Outrun/);
  });
});
