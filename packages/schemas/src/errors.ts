import { z } from 'zod';

import { ErrorCode } from './error-codes';

export { ErrorCode } from './error-codes';
export const ErrorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);

/** One failing field or rule, with a dotted path such as `nodes.3.data.url`. */
export const ErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** The HTTP error body of every route (API.md, "Conventions"). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

interface OutrunErrorOptions {
  /** Failing fields or rules. @default [] */
  details?: ErrorDetail[];
  /** The node the error belongs to, when it happened inside a step. */
  nodeId?: string;
  cause?: unknown;
}

/** Base of every error Outrun raises on purpose. `code` is stable; `message` is for humans. */
export abstract class OutrunError extends Error {
  abstract readonly kind: 'user' | 'operational' | 'unexpected';
  readonly details: ErrorDetail[];
  readonly nodeId: string | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: OutrunErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? [];
    this.nodeId = options.nodeId;
  }
}

/** Bad input: 4xx, never retried. */
export class UserError extends OutrunError {
  readonly kind = 'user' as const;
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number = 400,
    options: OutrunErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Transient failure of something outside (network, store, provider): retried with backoff. */
export class OperationalError extends OutrunError {
  readonly kind = 'operational' as const;
}

/** A bug: logged at error level and reported. */
export class UnexpectedError extends OutrunError {
  readonly kind = 'unexpected' as const;
}

/** A failure that retrying cannot fix (bad credentials, invalid output): the engine never retries it. */
export class NonRetriableError extends OutrunError {
  readonly kind = 'user' as const;
}

/** A transient failure with a known wait (HTTP 429 `Retry-After`): the engine waits `retryAfterMs` before retrying. */
export class RetryAfterError extends OutrunError {
  readonly kind = 'operational' as const;
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterMs: number,
    options: OutrunErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** The serialised form of an error that crosses processes (stored on runs and steps). */
export const SerializedError = z.object({
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  details: z.array(ErrorDetail).optional(),
  retriable: z.boolean().optional(),
});
export type SerializedError = z.infer<typeof SerializedError>;
