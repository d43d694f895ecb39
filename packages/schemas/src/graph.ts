import { z } from 'zod';
import { Id, JsonObject, JsonValue } from './common';

/** Node-level retry override; falls back to the workflow's `settings.retryPolicy`. */
export const BackoffStrategy = z.enum(['exponential', 'fixed', 'linear']);
export type BackoffStrategy = z.infer<typeof BackoffStrategy>;

export const RetryPolicy = z.object({
  /** Retries after the first attempt. @default 3 */
  maxRetries: z.number().int().min(0).max(100).default(3),
  /** @default "exponential" */
  backoffStrategy: BackoffStrategy.default('exponential'),
  /** First wait in ms. @default 1000 */
  initialDelay: z.number().int().min(0).max(86_400_000).default(1000),
  /** Upper bound of any wait in ms. @default 60000 */
  maxDelay: z.number().int().min(0).max(86_400_000).default(60_000),
  /** Random spread applied to each wait, 0..1 (0.2 = ±20 %). @default 0.2 */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** Per-node execution settings (outside `data`, which holds only the node's parameters). */
export const NodeSettings = z.object({
  retry: RetryPolicy.partial().optional(),
  /** Per-node timeout in ms. */
  timeout: z.number().int().min(1).max(86_400_000).optional(),
  /** Record the failure as the node's output and continue instead of failing the run. @default false */
  continueOnFail: z.boolean().optional(),
  /** `error-output`: a failure (after retries) leaves through the node's `error` handle with the error as output. */
  onError: z.enum(['fail', 'error-output']).optional(),
});
export type NodeSettings = z.infer<typeof NodeSettings>;

/**
 * A React Flow node. `data` holds the node's parameters (validated by the node type's own schema),
 * so a problem in `url` is reported at `nodes.3.data.url`. Trigger nodes have `type: "trigger"` and
 * `data.triggerId` naming an entry of `workflow.triggers`.
 */
export const WorkflowNode = z.strictObject({
  id: Id,
  type: z.string().min(1).max(100),
  position: z.object({ x: z.number(), y: z.number() }),
  data: JsonObject.default({}),
  /** Display name shown on the canvas. */
  label: z.string().max(200).optional(),
  settings: NodeSettings.optional(),
  /** Pinned output (editor test loop): test runs use it instead of executing the node; production runs ignore it. */
  pinned: JsonValue.optional(),
  // React Flow view state the editor may send back; kept so a round trip is exact.
  width: z.number().optional(),
  height: z.number().optional(),
  measured: z.object({ width: z.number().optional(), height: z.number().optional() }).optional(),
  selected: z.boolean().optional(),
  dragging: z.boolean().optional(),
});
export type WorkflowNode = z.infer<typeof WorkflowNode>;

/** A React Flow edge. `sourceHandle` selects the output a condition/switch routes along. */
export const WorkflowEdge = z.strictObject({
  id: Id,
  source: Id,
  target: Id,
  sourceHandle: z.string().max(100).nullish(),
  targetHandle: z.string().max(100).nullish(),
  type: z.string().max(100).optional(),
  label: z.string().max(200).optional(),
  animated: z.boolean().optional(),
  selected: z.boolean().optional(),
});
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

/** The node type that anchors a trigger on the canvas. */
export const TRIGGER_NODE_TYPE = 'trigger';
