import { describe, expect, it } from 'vitest';
import { ErrorCode } from './error-codes';
import { NonRetriableError, OperationalError, UserError } from './errors';
import { httpErrorOf } from './http-errors';

describe('httpErrorOf', () => {
  it('keeps a user error status, code and details', () => {
    const err = new UserError(ErrorCode.VALIDATION, 'bad', 422, { details: [{ path: 'a.b', message: 'required' }] });
    expect(httpErrorOf(err)).toEqual({ status: 422, kind: 'user', body: { error: { code: ErrorCode.VALIDATION, message: 'bad', details: [{ path: 'a.b', message: 'required' }] } } });
  });

  it('answers 400 for other user-kind errors', () => {
    expect(httpErrorOf(new NonRetriableError(ErrorCode.VALIDATION, 'no'))).toMatchObject({ status: 400, kind: 'user', body: { error: { message: 'no' } } });
  });

  it('answers 503 for an operational failure, hiding store internals unless told what to say', () => {
    const store = new OperationalError(ErrorCode.STORE_UNAVAILABLE, '/srv/outrun/outrun.db: SQLITE_FULL');
    expect(httpErrorOf(store)).toEqual({ status: 503, kind: 'unavailable', body: { error: { code: ErrorCode.STORE_UNAVAILABLE, message: 'The database is unavailable; nothing was changed. Retry later.' } } });
    expect(httpErrorOf(store, { unavailable: () => 'try later' }).body.error.message).toBe('try later');
    expect(httpErrorOf(new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'Redis is down')).body.error.message).toBe('Redis is down');
  });

  it('answers 500 without the message of anything else', () => {
    const answer = httpErrorOf(new Error('secret path /etc/x'));
    expect(answer).toMatchObject({ status: 500, kind: 'unexpected', body: { error: { code: ErrorCode.INTERNAL } } });
    expect(JSON.stringify(answer)).not.toContain('/etc/x');
    expect(httpErrorOf('boom', { unexpected: 'not accepted' }).body.error.message).toBe('not accepted');
  });
});
