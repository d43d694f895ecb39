import { pino, type Logger, type LoggerOptions } from 'pino';
import { traceLogFields } from '@outrun/telemetry';

export type { Logger };

/** Paths whose values are never written to logs (credentials, keys, auth headers, signatures). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["webhook-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["stripe-signature"]',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.token',
  '*.data.apiKey',
  'apiKey',
  'secret',
  'password',
];

export interface CreateLoggerOptions {
  /** Service name on every line. */
  name: string;
  /** @default "info" */
  level?: string;
  /** Destination stream (tests capture logs with it). @default stdout */
  destination?: NodeJS.WritableStream;
}

/** The pino logger of a service: JSON lines, secrets redacted, `trace_id`/`span_id` when tracing. Add `runId`/`reqId` with `.child()`. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // trace_id/span_id of the active span, so a log line leads to its trace (nothing when tracing is off).
    mixin: traceLogFields,
  };
  return options.destination ? pino(opts, options.destination as pino.DestinationStream) : pino(opts);
}
