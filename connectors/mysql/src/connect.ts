/** One connection per step (destroyed on abort); identifiers are always quoted with backticks. */
import type { Connection } from 'mysql2/promise';
import type { MysqlCredentialData } from './data';

export async function withConnection<T>(credential: MysqlCredentialData, signal: AbortSignal, fn: (connection: Connection) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    host: credential.host,
    port: credential.port,
    user: credential.user,
    password: credential.password,
    database: credential.database,
    connectTimeout: 10_000,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
    ...(credential.ssl ? { ssl: {} } : {}),
  });
  connection.on('error', () => undefined);
  const onAbort = () => connection.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(connection);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await connection.end().catch(() => connection.destroy());
  }
}

export const ident = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
