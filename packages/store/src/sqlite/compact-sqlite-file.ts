/**
 * One-time conversion of a database file created before auto_vacuum=INCREMENTAL (Outrun before schema 2): such a
 * file reuses the pages retention frees but never gives them back to the file system. `VACUUM` rewrites it once with
 * incremental auto-vacuum; from then on the housekeeper's `incremental_vacuum` returns freed pages in small steps.
 * Needs exclusive use of the file for as long as the rewrite takes (stop Outrun first) and free disk space about
 * the size of the file.
 */
import Database from './driver';

export interface CompactResult {
  /** False when the file already had incremental auto-vacuum (nothing rewritten). */
  converted: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

export function compactSqliteFile(file: string): CompactResult {
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const bytes = () => (db.pragma('page_count', { simple: true }) as number) * pageSize;
    const bytesBefore = bytes();
    if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
      db.pragma('incremental_vacuum');
      return { converted: false, bytesBefore, bytesAfter: bytes() };
    }
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { converted: true, bytesBefore, bytesAfter: bytes() };
  } finally {
    db.close();
  }
}
