import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * The SQLite driver for this Node.js: better-sqlite3 12 on Node 20, 13 (installed as `better-sqlite3-napi`) on 22+.
 * 12 is built on V8's `node::ObjectWrap`, whose header on Node 24+ registers a cleanup hook per object: when V8
 * collects a statement with no Node environment current, its destructor aborts the process (`Assertion failed:
 * (env) != nullptr`, about three `npm start`s in four on Node 24.21). 13 is a Node-API addon (prebuilt, no compiler
 * needed) without that flaw, but segfaults on Node 20. The two share one API. Everything that opens a database —
 * the store, its workers, tests and benches — goes through this module, so one process never links two SQLite
 * libraries (closing a file in one would drop the other's POSIX locks on it).
 */
const require = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** The package name loaded here: `better-sqlite3` (12.x) or `better-sqlite3-napi` (13.x). */
export const SQLITE_DRIVER_PACKAGE = NODE_MAJOR >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
/** Absolute path of the driver's entry, for worker threads that `require` it themselves. */
export const sqliteDriverPath: string = require.resolve(SQLITE_DRIVER_PACKAGE);

const Database = require(SQLITE_DRIVER_PACKAGE) as typeof BetterSqlite3;
// eslint-disable-next-line @typescript-eslint/no-namespace -- the driver's types under its name, as `better-sqlite3` has them
declare namespace Database {
  type Database = BetterSqlite3.Database;
  type Statement = BetterSqlite3.Statement;
}
export default Database;
