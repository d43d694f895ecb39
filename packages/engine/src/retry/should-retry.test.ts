import { ErrorCode, NonRetriableError, OperationalError, RetryAfterError, UserError } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { decideRetry, isRetriable, type RetryPolicyLike } from './should-retry';

const policy: RetryPolicyLike = { maxRetries: 2, backoffStrategy: 'exponential', initialDelay: 100, maxDelay: 1000, jitter: 0 };
const decide = (error: unknown, attempt = 1, remainingMs = 1e9) => decideRetry({ error, attempt, policy, random: () => 0.5, remainingMs });

describe('isRetriable', () => {
  it('refuses NonRetriableError, UserError and retriable:false', () => {
    expect(isRetriable(new NonRetriableError(ErrorCode.NODE_FAILED, 'x'))).toBe(false);
    expect(isRetriable(new UserError(ErrorCode.VALIDATION, 'x'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('x'), { retriable: false }))).toBe(false);
  });
  it('accepts operational errors, plain errors and thrown strings', () => {
    expect(isRetriable(new OperationalError(ErrorCode.NODE_FAILED, 'x'))).toBe(true);
    expect(isRetriable(new Error('x'))).toBe(true);
    expect(isRetriable('boom')).toBe(true);
  });
});

describe('decideRetry', () => {
  it('retries with backoff until maxRetries retries were made', () => {
    const err = new OperationalError(ErrorCode.NODE_FAILED, 'x');
    expect(decide(err, 1)).toEqual({ retry: true, delayMs: 100 });
    expect(decide(err, 2)).toEqual({ retry: true, delayMs: 200 });
    expect(decide(err, 3)).toEqual({ retry: false });
  });
  it('never retries non-retriable errors', () => {
    expect(decide(new NonRetriableError(ErrorCode.NODE_FAILED, 'x'))).toEqual({ retry: false });
  });
  it('honours RetryAfterError above maxDelay, capped by the run time left', () => {
    expect(decide(new RetryAfterError(ErrorCode.RATE_LIMITED, 'x', 5000))).toEqual({ retry: true, delayMs: 5000 });
    expect(decide(new RetryAfterError(ErrorCode.RATE_LIMITED, 'x', 5000), 1, 1200)).toEqual({ retry: true, delayMs: 1200 });
  });
});
