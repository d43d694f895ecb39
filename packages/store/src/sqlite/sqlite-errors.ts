import { ErrorCode, OperationalError, OutrunError } from '@outrun/schemas';

/** Maps a SQLite failure to a stable Outrun error; Outrun errors pass through. */
export function translateSqliteError(error: unknown, file: string): unknown {
  if (error instanceof OutrunError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new OperationalError(ErrorCode.STORE_CORRUPT, `The SQLite database ${file} is not a valid Outrun database (corrupt or another file). Restore it from a backup or move it away.`, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_PERM')) {
    return new OperationalError(ErrorCode.STORE_UNAVAILABLE, `The SQLite database ${file} is unavailable (${code}): ${(error as Error).message}`, { cause: error });
  }
  return error;
}
