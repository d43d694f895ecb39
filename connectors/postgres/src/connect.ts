/** One connection per step (closed on abort): no pool outlives the step, so a rotated password applies at once. */
import type pg from 'pg';
import type { PostgresCredentialData } from './data';

export async function openClient(credential: PostgresCredentialData, options: { statementTimeoutMs?: number } = {}): Promise<pg.Client> {
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({
    host: credential.host,
    port: credential.port,
    user: credential.user,
    password: credential.password,
    database: credential.database,
    ssl: credential.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 10_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    application_name: 'outrun',
  });
  await client.connect();
  return client;
}

/** Runs `fn` with a connected client; aborting the signal closes the connection (the server cancels the query). */
export async function withClient<T>(credential: PostgresCredentialData, signal: AbortSignal, fn: (client: pg.Client) => Promise<T>, options: { statementTimeoutMs?: number } = {}): Promise<T> {
  signal.throwIfAborted();
  const client = await openClient(credential, options);
  client.on('error', () => undefined);
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(client);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** A quoted identifier (`schema.table` parts each quoted): names are never interpolated raw. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const qualified = (schema: string | undefined, table: string): string => (schema ? `${ident(schema)}.${ident(table)}` : ident(table));
