/**
 * Retry classification: which driver errors a retry can fix. A connector throws whatever its driver throws; the kit
 * turns it into `OperationalError` (retried with the node's policy) or `NonRetriableError` (fails the step at once),
 * with secrets redacted from the message.
 */
import { ErrorCode, NonRetriableError, OperationalError, OutrunError } from '@outrun/schemas';
import { redactText } from './redact';

/** Network-level failures: the service may be back on the next attempt. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ESOCKET', 'ECONNECTION',
  'PROTOCOL_CONNECTION_LOST', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR', 'TIMEOUT', 'CONNECTION_CLOSED',
  // PostgreSQL SQLSTATE: serialization failure, deadlock, too many connections, admin shutdown, cannot connect now
  '40001', '40P01', '53300', '57P01', '57P03',
]);

/** Marks an error as retriable or not explicitly (a connector's own verdict wins over the defaults). */
export class ConnectorError extends Error {
  constructor(message: string, readonly retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectorError';
  }
}

/** HTTP statuses a retry can fix. */
export const isRetriableStatus = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;

/** The default verdict for an error thrown by a driver. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ConnectorError) return err.retriable;
  if (err instanceof OutrunError) return err.kind === 'operational';
  const e = err as { code?: unknown; errno?: unknown; status?: unknown; statusCode?: unknown; name?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined) return isRetriableStatus(status);
  return e.name === 'TimeoutError';
}

/** Converts a driver error to the engine's error kinds, message redacted. Abort errors pass through unchanged. */
export function classifyError(err: unknown, secrets: readonly string[], where: string): Error {
  if (err instanceof OutrunError && !(err instanceof OperationalError)) return err;
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return err as Error;
  const raw = err instanceof Error ? err.message : String(err);
  const message = `${where}: ${redactText(raw, secrets)}`.slice(0, 2000);
  return isTransient(err)
    ? new OperationalError(ErrorCode.CONNECTOR_UNAVAILABLE, message)
    : new NonRetriableError(ErrorCode.CONNECTOR_FAILED, message);
}
