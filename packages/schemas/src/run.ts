import { z } from 'zod';
import { Id, JsonValue, Timestamp } from './common';
import { SerializedError } from './errors';
import { TriggerType } from './trigger';

export const RunStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminalRunStatus = (s: RunStatus): boolean => TERMINAL_RUN_STATUSES.includes(s);

/** `waiting` = parked by a durable delay; `skipped` = on a branch a condition did not take. */
export const StepStatus = z.enum(['running', 'completed', 'failed', 'skipped', 'cancelled', 'waiting']);
export type StepStatus = z.infer<typeof StepStatus>;

/** Tokens and cost of one step (AI nodes). `cost: null` = the model is not in the price table. */
export const StepUsage = z.object({
  model: z.string().optional(),
  inputTokens: z.number().int().min(0).default(0),
  cachedInputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  totalTokens: z.number().int().min(0).default(0),
  cost: z.number().min(0).nullable().default(0),
  /** What priced `cost`: `@pydantic/genai-prices` (the bundled catalogue), `override:workspace` or `override:instance`. */
  priceSource: z.string().max(100).optional(),
  /** The catalogue's package version or the override table's `version`, so a stored cost can be explained later. */
  priceVersion: z.string().max(100).optional(),
  webhooksCalled: z.number().int().min(0).default(0),
});
export type StepUsage = z.infer<typeof StepUsage>;

/** The seed's run usage, plus how many AI calls had no price (cost shown as "unpriced", never 0). */
export const RunUsage = z.object({
  aiTokensUsed: z.number().int().min(0),
  estimatedCost: z.number().min(0),
  webhooksCalled: z.number().int().min(0),
  unpricedCalls: z.number().int().min(0).default(0),
  /** Tokens of those unpriced calls (not in `estimatedCost`); absent when every call was priced. */
  unpricedTokens: z.number().int().min(0).optional(),
});
export type RunUsage = z.infer<typeof RunUsage>;
export const emptyRunUsage = (): RunUsage => ({ aiTokensUsed: 0, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 0 });

/** Marker left in place of a step input/output that exceeded the stored size limit. */
export const TruncatedValue = z.object({
  __truncated: z.literal(true),
  originalBytes: z.number().int(),
  preview: z.string(),
});
export type TruncatedValue = z.infer<typeof TruncatedValue>;

export const Step = z.object({
  nodeId: Id,
  nodeType: z.string(),
  status: StepStatus,
  /** Node attempt number, 1-based (node-level retries). */
  attempt: z.number().int().min(1),
  startedAt: Timestamp,
  finishedAt: Timestamp.optional(),
  /** ms */
  duration: z.number().min(0).optional(),
  input: JsonValue.optional(),
  output: JsonValue.optional(),
  /** The handle(s) a routing node chose. */
  handle: z.string().optional(),
  error: SerializedError.optional(),
  usage: StepUsage.optional(),
});
export type Step = z.infer<typeof Step>;

export const TriggeredBy = z.object({
  type: TriggerType,
  /** e.g. `/webhook/ws-456/trigger-1`, `cron:0 9 * * *`, `data:leads`, `api`. */
  source: z.string(),
  triggerId: z.string().optional(),
  payload: JsonValue,
  /**
   * A test run from the editor (docs/editor.md): it runs the draft (or the live version when there is no draft),
   * with pinned data, and does not count in the workflow's production stats. `step`: "execute this step" — only
   * that node and the nodes it depends on run (those recorded from an earlier run are reused).
   */
  test: z.object({ step: Id.optional() }).optional(),
});
export type TriggeredBy = z.infer<typeof TriggeredBy>;

/** The HTTP answer a sync webhook returns, from a `respond` node or the last output. */
export const RunResponse = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).default({}),
  body: JsonValue.optional(),
});
export type RunResponse = z.infer<typeof RunResponse>;

export const Run = z.object({
  id: Id,
  workspaceId: Id,
  workflowId: Id,
  workflowVersion: z.number().int().min(1),
  status: RunStatus,
  triggeredBy: TriggeredBy,
  steps: z.array(Step),
  usage: RunUsage,
  /** Run-level attempt (re-attempts after operational failures), 1-based. */
  attempt: z.number().int().min(1),
  error: SerializedError.optional(),
  idempotencyKey: z.string().optional(),
  retryOf: Id.optional(),
  /** Final output of the run (the last node's output, or the respond node's body). */
  output: JsonValue.optional(),
  response: RunResponse.optional(),
  queuedAt: Timestamp,
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp.optional(),
  /** A parked run (durable delay) resumes at this instant; a queued run staged ahead of its schedule starts then. */
  resumeAt: Timestamp.optional(),
  /** The OpenTelemetry trace id of the run (from its first job's trace context; absent when tracing was off). */
  traceId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  /** The signal a waiting run waits for (approval, event, child run); a delivery must name it (docs/composition.md). */
  waitingFor: z.string().optional(),
  /** A sub-workflow's run: the run and step (`workflow` node) that started it. */
  parentRunId: Id.optional(),
  parentStepId: Id.optional(),
});
export type Run = z.infer<typeof Run>;

/** A run summary for lists (no steps). */
export type RunSummary = Omit<Run, 'steps'>;
