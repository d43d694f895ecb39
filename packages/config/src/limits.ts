/**
 * Per-workspace quotas and limits: instance defaults from the environment, overridable per workspace.
 * Parsed once here (the only reader of `process.env`); services receive a `WorkspaceLimits` resolver.
 */
import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().min(1).max(1e9).default(fallback);
const rate = (fallback: number) => z.coerce.number().positive().max(1e6).default(fallback);

/** The quota and limit variables (part of `CommonEnv`, so every service reads the same values). */
export const LimitsEnvShape = {
  /** Workflows per workspace (every status, archived included: they keep their versions). @default 1000 */
  OUTRUN_QUOTA_WORKFLOWS: count(1000),
  /** Versions kept per workflow; older ones are pruned (never the current one or one a live run uses). @default 100 */
  OUTRUN_QUOTA_VERSIONS: count(100),
  /** API keys per workspace. @default 50 */
  OUTRUN_QUOTA_API_KEYS: count(50),
  /** Concurrent SSE streams per API key / per workspace. @default 10 / 50 */
  OUTRUN_QUOTA_STREAMS_PER_KEY: count(10),
  OUTRUN_QUOTA_STREAMS_PER_WORKSPACE: count(50),
  /** Stored bytes per workspace: workflow definitions (every kept version) and data-collection documents. @default 512 MiB */
  OUTRUN_QUOTA_STORED_BYTES: count(512 * 1024 * 1024),
  /** Byte budget of one list page (the page ends early, with a cursor, once it is reached). @default 4 MiB */
  OUTRUN_PAGE_MAX_BYTES: count(4 * 1024 * 1024),
  /** API requests per workspace, whatever key is used (minting keys does not multiply it). @default 50 rps, burst 200 */
  OUTRUN_WORKSPACE_RATE_LIMIT_RPS: rate(50),
  OUTRUN_WORKSPACE_RATE_LIMIT_BURST: count(200),
  /** Webhook deliveries per trigger without its own `rateLimit`. @default 100 rps, burst 200 */
  OUTRUN_WEBHOOK_RATE_LIMIT_RPS: rate(100),
  OUTRUN_WEBHOOK_RATE_LIMIT_BURST: count(200),
  /** Webhook deliveries per workspace, all triggers together. @default 500 rps, burst 1000 */
  OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS: rate(500),
  OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST: count(1000),
  /** Run retention: finished runs older than this many days are deleted (0 = keep forever). @default 30 */
  OUTRUN_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** Run retention: finished runs kept per workspace, newest first (0 = no count limit). @default 100000 */
  OUTRUN_RETENTION_MAX_RUNS: z.coerce.number().int().min(0).max(1e9).default(100_000),
  /** How often the housekeeper (retention, version pruning, SQLite vacuum) runs, ms; 0 = never. @default 300000 */
  OUTRUN_HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** Per-workspace overrides: JSON `{"<workspaceId>": {"workflows": 5000, "retentionDays": 90, …}}` (keys of `WorkspaceLimits`). */
  OUTRUN_WORKSPACE_LIMITS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return {};
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
      const parsed = Overrides().safeParse(json);
      if (parsed.success) return parsed.data as Record<string, Partial<WorkspaceLimits>>;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    }),
};

/** Every per-workspace limit, resolved. */
export const WorkspaceLimits = z.strictObject({
  workflows: z.number().int().min(1),
  versions: z.number().int().min(1),
  apiKeys: z.number().int().min(1),
  streamsPerKey: z.number().int().min(1),
  streamsPerWorkspace: z.number().int().min(1),
  storedBytes: z.number().int().min(1),
  pageMaxBytes: z.number().int().min(1),
  rateLimit: z.strictObject({ rps: z.number().positive(), burst: z.number().int().min(1) }),
  webhookRateLimit: z.strictObject({ rps: z.number().positive(), burst: z.number().int().min(1) }),
  webhookWorkspaceRateLimit: z.strictObject({ rps: z.number().positive(), burst: z.number().int().min(1) }),
  retentionDays: z.number().int().min(0),
  retentionMaxRuns: z.number().int().min(0),
});
export type WorkspaceLimits = z.infer<typeof WorkspaceLimits>;

// A function: WorkspaceLimits is declared below the env shape that uses it.
const Overrides = () => z.record(z.string().min(1), WorkspaceLimits.partial());

/** Resolves the limits of a workspace: its override merged over the instance defaults. */
export interface LimitsResolver {
  readonly defaults: WorkspaceLimits;
  forWorkspace(workspaceId: string): WorkspaceLimits;
}

type LimitsEnv = { [K in keyof typeof LimitsEnvShape]: z.infer<(typeof LimitsEnvShape)[K]> };

/** The instance defaults (documented in the README) — what a workspace gets without an override. */
export const DEFAULT_LIMITS: WorkspaceLimits = limitsFromEnv(z.object(LimitsEnvShape).parse({})).defaults;

/**
 * Builds the resolver from parsed env values (`parseEnv` already reported a malformed OUTRUN_WORKSPACE_LIMITS).
 */
export function limitsFromEnv(env: LimitsEnv): LimitsResolver {
  const defaults: WorkspaceLimits = {
    workflows: env.OUTRUN_QUOTA_WORKFLOWS,
    versions: env.OUTRUN_QUOTA_VERSIONS,
    apiKeys: env.OUTRUN_QUOTA_API_KEYS,
    streamsPerKey: env.OUTRUN_QUOTA_STREAMS_PER_KEY,
    streamsPerWorkspace: env.OUTRUN_QUOTA_STREAMS_PER_WORKSPACE,
    storedBytes: env.OUTRUN_QUOTA_STORED_BYTES,
    pageMaxBytes: env.OUTRUN_PAGE_MAX_BYTES,
    rateLimit: { rps: env.OUTRUN_WORKSPACE_RATE_LIMIT_RPS, burst: env.OUTRUN_WORKSPACE_RATE_LIMIT_BURST },
    webhookRateLimit: { rps: env.OUTRUN_WEBHOOK_RATE_LIMIT_RPS, burst: env.OUTRUN_WEBHOOK_RATE_LIMIT_BURST },
    webhookWorkspaceRateLimit: { rps: env.OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS, burst: env.OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST },
    retentionDays: env.OUTRUN_RETENTION_DAYS,
    retentionMaxRuns: env.OUTRUN_RETENTION_MAX_RUNS,
  };
  return createLimits(defaults, env.OUTRUN_WORKSPACE_LIMITS);
}

/** A resolver from explicit values (tests, embedders). */
export function createLimits(defaults: WorkspaceLimits = DEFAULT_LIMITS, overrides: Record<string, Partial<WorkspaceLimits>> = {}): LimitsResolver {
  return {
    defaults,
    forWorkspace: (workspaceId) => {
      const o = overrides[workspaceId];
      return o ? { ...defaults, ...o } : defaults;
    },
  };
}
