import { z } from 'zod';
import { Id, JsonObject } from './common';
import { EventSourceConfig } from './connector';

export const TriggerType = z.enum(['webhook', 'schedule', 'data_change', 'manual', 'event_source']);
export type TriggerType = z.infer<typeof TriggerType>;

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/**
 * Webhook auth. Secret-based modes read their secret(s) from a credential (`credentialId`),
 * so no secret is ever stored in a workflow document; rotate-secret writes a new one there.
 */
export const WebhookAuth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('header'), headerName: z.string().min(1).max(100), credentialId: Id.optional() }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200), credentialId: Id.optional() }),
  z.strictObject({ type: z.literal('hmac'), credentialId: Id.optional() }),
  z.strictObject({ type: z.literal('github'), credentialId: Id.optional() }),
  z.strictObject({ type: z.literal('stripe'), credentialId: Id.optional() }),
  /** Slack's signing secret: `X-Slack-Signature: v0=<hex HMAC-SHA256("v0:" + timestamp + ":" + body)>`. */
  z.strictObject({ type: z.literal('slack'), credentialId: Id.optional() }),
]);
export type WebhookAuth = z.infer<typeof WebhookAuth>;
export type WebhookAuthType = WebhookAuth['type'];

export const WebhookConfig = z.strictObject({
  /** Accepted methods. @default ["POST"] */
  methods: z.array(HttpMethod).min(1).default(['POST']),
  /** @default {type: "none"} */
  auth: WebhookAuth.default({ type: 'none' }),
  /** `async` answers 202 once recorded; `sync` waits for the run's response. @default "async" */
  responseMode: z.enum(['async', 'sync']).default('async'),
  /** How long sync mode waits before answering 202. @default 30000 */
  syncTimeoutMs: z.number().int().min(100).max(300_000).default(30_000),
  /** Largest accepted body in bytes. @default 1048576 */
  maxBodyBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(1024 * 1024),
  /** Token bucket per trigger; absent = unlimited. */
  rateLimit: z.strictObject({ rps: z.number().positive().max(100_000), burst: z.number().int().min(1).max(1_000_000) }).optional(),
  /** Request headers copied into `triggeredBy.payload.headers` (lower-case names). @default [] */
  includeHeaders: z.array(z.string().min(1).max(100)).default([]),
  /** Filled in by the server: the public path of this trigger. */
  webhookUrl: z.string().optional(),
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;

export const ScheduleConfig = z.strictObject({
  /** node-cron syntax: 5 fields, or 6 with seconds first. Validated strictly at save time. */
  cron: z.string().min(1).max(200),
  /** IANA time zone. @default "UTC" */
  timezone: z.string().min(1).max(100).default('UTC'),
  /** Occurrences missed while no listener ran: none, the latest one, or all (capped). @default "latest" */
  catchUp: z.enum(['none', 'latest', 'all']).default('latest'),
  /** Cap for `catchUp: "all"`. @default 100 */
  catchUpLimit: z.number().int().min(1).max(10_000).default(100),
});
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

export const DataOperation = z.enum(['insert', 'update', 'delete']);
export type DataOperation = z.infer<typeof DataOperation>;

export const DataChangeConfig = z.strictObject({
  collection: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)'),
  /** @default ["insert","update","delete"] */
  operations: z.array(DataOperation).min(1).default(['insert', 'update', 'delete']),
  /**
   * Equality filter on the changed document's fields (dotted paths allowed). Values are literals, never query
   * operators; a key with a `$`-prefixed or empty segment is rejected. @default {}
   */
  filter: JsonObject.default({}).superRefine((filter, ctx) => {
    for (const key of Object.keys(filter)) {
      if (key.split('.').some((part) => part === '' || part.startsWith('$'))) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'filter keys are dotted field names: segments must be non-empty and must not start with $ (values are compared for equality)' });
      }
    }
  }),
});
export type DataChangeConfig = z.infer<typeof DataChangeConfig>;

export const ManualConfig = z.strictObject({});

const triggerBase = {
  id: Id,
  /** @default true */
  active: z.boolean().default(true),
  name: z.string().max(200).optional(),
};

export const Trigger = z.discriminatedUnion('type', [
  z.strictObject({ ...triggerBase, type: z.literal('webhook'), config: WebhookConfig.default(WebhookConfig.parse({})) }),
  z.strictObject({ ...triggerBase, type: z.literal('schedule'), config: ScheduleConfig }),
  z.strictObject({ ...triggerBase, type: z.literal('data_change'), config: DataChangeConfig }),
  z.strictObject({ ...triggerBase, type: z.literal('manual'), config: ManualConfig.default({}) }),
  z.strictObject({ ...triggerBase, type: z.literal('event_source'), config: EventSourceConfig }),
]);
export type Trigger = z.infer<typeof Trigger>;
export type TriggerInput = z.input<typeof Trigger>;

/** Per-trigger statistics (seed: "Trigger Statistics"). */
export const TriggerStats = z.object({
  fires: z.number().int(),
  runsStarted: z.number().int(),
  authFailures: z.number().int(),
  duplicatesDropped: z.number().int(),
  rateLimited: z.number().int(),
  /** Errors recorded for the trigger (a failed feed attempt, a trigger the listener could not index, …); `lastError` is the newest. */
  errors: z.number().int(),
  lastFiredAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type TriggerStats = z.infer<typeof TriggerStats>;
export type TriggerStatCounter = 'fires' | 'runsStarted' | 'authFailures' | 'duplicatesDropped' | 'rateLimited' | 'errors';
