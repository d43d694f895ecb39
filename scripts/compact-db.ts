/**
 * `npm run db:compact` — converts `$OUTRUN_DATA_DIR/outrun.db` once to incremental auto-vacuum (files created before
 * Outrun's schema 2 lack it) and gives its free pages back to the file system. Stop Outrun first: the rewrite needs
 * the file to itself and free disk space about its size. Newer files need nothing; running it again is harmless.
 */
import { join, resolve } from 'node:path';
import { CommonEnv, parseEnv } from '@outrun/config';
import { compactSqliteFile } from '@outrun/store/sqlite';

const env = parseEnv(CommonEnv);
const file = join(resolve(env.OUTRUN_DATA_DIR), 'outrun.db');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
try {
  const r = compactSqliteFile(file);
  process.stdout.write(`${file}: ${r.converted ? 'converted to auto_vacuum=INCREMENTAL' : 'already incremental'}; ${mb(r.bytesBefore)} → ${mb(r.bytesAfter)}\n`);
} catch (error) {
  process.stderr.write(`db:compact failed for ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
