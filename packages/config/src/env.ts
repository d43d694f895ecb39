import { z } from 'zod';
import { LimitsEnvShape } from './limits';
import { TelemetryEnv } from '@outrun/telemetry';

/** Raised when the environment is invalid: one line per bad or missing variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses an environment with a zod object schema. The only place in the repo that reads `process.env`.
 * @throws ConfigError listing every invalid or missing variable.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  // Empty strings mean "unset" (docker-compose and .env files write them that way).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Variables every service shares. Each service extends this in its own env.ts. */
export const CommonEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** MongoDB connection string; unset = the embedded SQLite store. Change streams need a replica set. */
  MONGO_URI: z.string().url().optional(),
  /** Redis for BullMQ; unset = the in-process queue (embedded mode, one process). */
  REDIS_URL: z.string().url().optional(),
  /** Where the SQLite file lives in embedded mode. @default ./.outrun */
  OUTRUN_DATA_DIR: z.string().default('./.outrun'),
  /** 32-byte key (hex or base64) encrypting credentials; embedded mode generates one into the data dir. */
  OUTRUN_ENCRYPTION_KEY: z.string().optional(),
  /** Prefix of every Redis key (tests isolate with it). @default outrun */
  OUTRUN_QUEUE_PREFIX: z.string().default('outrun'),
  /** Bearer token for `/metrics` of every service; unset = readable from loopback peers only. */
  OUTRUN_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** Connector packages to load: comma-separated npm names; `builtin` = the in-repo ones (docs/connectors.md). @default builtin */
  OUTRUN_CONNECTORS: z.string().default('builtin'),
  /** Private destinations HTTP nodes and connectors (databases, brokers, SMTP) may reach anyway: comma-separated host, host:port, ip, CIDR. @default none */
  OUTRUN_HTTP_ALLOW_LIST: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)),
  ...LimitsEnvShape,
  ...TelemetryEnv.shape,
});
export type CommonEnv = z.infer<typeof CommonEnv>;

export const Ports = {
  web: port(3000),
  api: port(3001),
  runner: port(3005),
  listener: port(3006),
};
