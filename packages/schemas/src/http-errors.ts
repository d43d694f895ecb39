/**
 * Error → HTTP answer, the one mapping of every service (the gateway's error middleware, the listener's webhook
 * path): a UserError keeps its status, an operational failure is a 503, anything else a 500 whose details stay in
 * the log. Pure: callers write the answer and log.
 */
import { ErrorCode } from './error-codes';
import { OperationalError, OutrunError, UserError, type ErrorBody, type ErrorDetail } from './errors';

export interface HttpErrorAnswer {
  status: number;
  body: ErrorBody;
  /** `user`: the caller's mistake; `unavailable`: a dependency failed (retry later); `unexpected`: a bug — log it. */
  kind: 'user' | 'unavailable' | 'unexpected';
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: details && details.length > 0 ? { code, message, details } : { code, message } };
}

/**
 * The message a client sees for a dependency failure. A store's own message names the database file and the SQLite
 * error (`/srv/outrun/outrun.db … SQLITE_FULL`): an operator detail, kept in the log (found by the disk-full test).
 */
function unavailableMessage(err: OperationalError): string {
  if (err.code === ErrorCode.STORE_UNAVAILABLE) return 'The database is unavailable; nothing was changed. Retry later.';
  if (err.code === ErrorCode.STORE_CORRUPT) return 'The database cannot be read; the operator must restore it.';
  return err.message;
}

/** The 503 of a webhook refused while the run backlog is at its mark: the listener's and the gateway's gate say the same. */
export const BACKLOG_FULL_MESSAGE = 'Runs are arriving faster than they finish; the event was not accepted. Retry later.';

export interface HttpErrorMessages {
  /** What a 503 says (default: the error's message, store internals hidden). */
  unavailable?: (err: OperationalError) => string;
  /** What a 500 says. */
  unexpected?: string;
}

export function httpErrorOf(err: unknown, messages: HttpErrorMessages = {}): HttpErrorAnswer {
  if (err instanceof UserError) return { status: err.status, body: errorBody(err.code, err.message, err.details), kind: 'user' };
  if (err instanceof OperationalError) return { status: 503, body: errorBody(err.code, (messages.unavailable ?? unavailableMessage)(err)), kind: 'unavailable' };
  if (err instanceof OutrunError && err.kind === 'user') return { status: 400, body: errorBody(err.code, err.message, err.details), kind: 'user' };
  return { status: 500, body: errorBody(ErrorCode.INTERNAL, messages.unexpected ?? 'An unexpected error occurred; report the request id.'), kind: 'unexpected' };
}
