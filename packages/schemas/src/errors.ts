import { z } from 'zod';

/**
 * Every stable error code. Each is documented in docs/errors.md as `| code | meaning | how to solve |`.
 * Closed set: add here, then document.
 */
export const ErrorCode = {
  VALIDATION: 'OUT_ERR_VALIDATION',
  UNAUTHENTICATED: 'OUT_ERR_UNAUTHENTICATED',
  NOT_FOUND: 'OUT_ERR_NOT_FOUND',
  CONFLICT: 'OUT_ERR_CONFLICT',
  VERSION_CONFLICT: 'OUT_ERR_VERSION_CONFLICT',
  PAYLOAD_TOO_LARGE: 'OUT_ERR_PAYLOAD_TOO_LARGE',
  INVALID_JSON: 'OUT_ERR_INVALID_JSON',
  WORKFLOW_INVALID: 'OUT_ERR_WORKFLOW_INVALID',
  RATE_LIMITED: 'OUT_ERR_RATE_LIMITED',
  UNAVAILABLE: 'OUT_ERR_UNAVAILABLE',
  INTERNAL: 'OUT_ERR_INTERNAL',
  /** Client side (`@outrun/client`): the gateway could not be reached; no HTTP answer. */
  NETWORK: 'OUT_ERR_NETWORK',
  // graph validation problems
  UNKNOWN_NODE_TYPE: 'OUT_ERR_UNKNOWN_NODE_TYPE',
  INVALID_NODE_PARAMS: 'OUT_ERR_INVALID_NODE_PARAMS',
  DUPLICATE_NODE_ID: 'OUT_ERR_DUPLICATE_NODE_ID',
  DANGLING_EDGE: 'OUT_ERR_DANGLING_EDGE',
  DUPLICATE_EDGE: 'OUT_ERR_DUPLICATE_EDGE',
  UNKNOWN_HANDLE: 'OUT_ERR_UNKNOWN_HANDLE',
  EDGE_INTO_TRIGGER: 'OUT_ERR_EDGE_INTO_TRIGGER',
  CYCLE: 'OUT_ERR_CYCLE',
  UNREACHABLE_NODE: 'OUT_ERR_UNREACHABLE_NODE',
  NO_TRIGGER: 'OUT_ERR_NO_TRIGGER',
  TRIGGER_INVALID: 'OUT_ERR_TRIGGER_INVALID',
  INVALID_CRON: 'OUT_ERR_INVALID_CRON',
  TOO_DEEP: 'OUT_ERR_TOO_DEEP',
  TOO_LARGE: 'OUT_ERR_TOO_LARGE',
  FORBIDDEN_KEY: 'OUT_ERR_FORBIDDEN_KEY',
  // execution
  EXPRESSION: 'OUT_ERR_EXPRESSION',
  NODE_FAILED: 'OUT_ERR_NODE_FAILED',
  NODE_TIMEOUT: 'OUT_ERR_NODE_TIMEOUT',
  RUN_TIMEOUT: 'OUT_ERR_RUN_TIMEOUT',
  RUN_CANCELLED: 'OUT_ERR_RUN_CANCELLED',
  HTTP_REQUEST: 'OUT_ERR_HTTP_REQUEST',
  HTTP_STATUS: 'OUT_ERR_HTTP_STATUS',
  SSRF_BLOCKED: 'OUT_ERR_SSRF_BLOCKED',
  HTTP_RESPONSE_TOO_LARGE: 'OUT_ERR_HTTP_RESPONSE_TOO_LARGE',
  PARSE: 'OUT_ERR_PARSE',
  CREDENTIAL_NOT_FOUND: 'OUT_ERR_CREDENTIAL_NOT_FOUND',
  BUDGET_EXCEEDED: 'OUT_ERR_BUDGET_EXCEEDED',
  AI_AUTH: 'OUT_ERR_AI_AUTH',
  AI_QUOTA: 'OUT_ERR_AI_QUOTA',
  AI_RATE_LIMITED: 'OUT_ERR_AI_RATE_LIMITED',
  AI_MAX_TURNS: 'OUT_ERR_AI_MAX_TURNS',
  AI_OUTPUT_INVALID: 'OUT_ERR_AI_OUTPUT_INVALID',
  AI_PROVIDER: 'OUT_ERR_AI_PROVIDER',
  // triggers
  WEBHOOK_AUTH: 'OUT_ERR_WEBHOOK_AUTH',
  WEBHOOK_SIGNATURE: 'OUT_ERR_WEBHOOK_SIGNATURE',
  WEBHOOK_TIMESTAMP: 'OUT_ERR_WEBHOOK_TIMESTAMP',
  METHOD_NOT_ALLOWED: 'OUT_ERR_METHOD_NOT_ALLOWED',
  // stores
  STORE_UNAVAILABLE: 'OUT_ERR_STORE_UNAVAILABLE',
  STORE_CORRUPT: 'OUT_ERR_STORE_CORRUPT',
  QUEUE_UNAVAILABLE: 'OUT_ERR_QUEUE_UNAVAILABLE',
  MONGO_REPLICA_SET_REQUIRED: 'OUT_ERR_MONGO_REPLICA_SET_REQUIRED',
  CHANGE_STREAM_HISTORY_LOST: 'OUT_ERR_CHANGE_STREAM_HISTORY_LOST',
  ENCRYPTION_KEY: 'OUT_ERR_ENCRYPTION_KEY',
  CONFIG: 'OUT_ERR_CONFIG',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
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
