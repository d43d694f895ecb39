/**
 * Bench-only preload (`node --import <this file>`): counts the SQLite statements this process executes through
 * better-sqlite3 (every `run`/`get`/`all`/`iterate` of a prepared statement, and `exec`), by kind ("SELECT runs",
 * "INSERT run_steps", …), and writes them with the process's CPU time to `$OUTRUN_STMT_COUNT_DIR/<pid>.json` on
 * SIGUSR2. Statements run by SQLite triggers are not counted (they are part of the statement that fired them).
 * Never loaded by the services themselves.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.OUTRUN_STMT_COUNT_DIR;
if (dir && isMainThread) {
  // The driver the store loads on this Node (packages/store/src/sqlite/driver.ts).
  const driver = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
  const Database = createRequire(new URL('../packages/store/package.json', import.meta.url))(driver);
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  const counts = new Map();
  /** "SELECT runs", "INSERT run_steps", "BEGIN", …: the verb and the first table it names. */
  const kindOf = (sql) => {
    const text = sql.replace(/\s+/g, ' ').trim();
    const verb = (/^\w+/.exec(text)?.[0] ?? '?').toUpperCase();
    const table = /\b(?:FROM|INTO|UPDATE|TABLE)\s+["`]?(\w+)/i.exec(text)?.[1];
    return table ? `${verb} ${table}` : verb;
  };
  const kinds = new WeakMap();
  const count = (stmt) => {
    let kind = kinds.get(stmt);
    if (kind === undefined) kinds.set(stmt, (kind = kindOf(stmt.source)));
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = Statement[method];
    Statement[method] = function counted(...args) {
      count(this);
      return original.apply(this, args);
    };
  }
  const exec = Database.prototype.exec;
  Database.prototype.exec = function countedExec(sql) {
    const kind = kindOf(sql);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return exec.call(this, sql);
  };
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    // Written whole, then renamed: the bench never reads half a file.
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), cpuUs: cpu.user + cpu.system, statements: Object.fromEntries(counts) }));
    renameSync(`${file}.tmp`, file);
  });
}
