/**
 * Contracts between the engine, the node catalog and the runner. Pure types: no I/O here.
 */
import type { z } from 'zod';
import type { Clock, JsonValue, NodeConnectorInfo, RunResponse, Step, StepUsage } from '@outrun/schemas';

/** Time as a port: the one `Clock` of every package (`@outrun/schemas`). */
export type { Clock };

/** Randomness as a port (retry jitter): returns a float in [0, 1). */
export type Random = () => number;

export interface NodeLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A minimal HTTP response shape nodes see (the runner supplies an SSRF-guarded pooled client). */
export interface HttpResponseLike {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpRequestLike {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Outbound HTTP for nodes. Implementations must apply the SSRF guard (resolved IP, every redirect). */
export interface HttpClient {
  request(req: HttpRequestLike): Promise<HttpResponseLike>;
}

/** Services the runner lends to nodes. Every field is optional so `runNode` works without a server. */
export interface NodeServices {
  http?: HttpClient;
  /** Decrypted credential data by id, and where it may be sent, scoped to the run's workspace. */
  credentials?: {
    get(credentialId: string): Promise<Record<string, JsonValue> | null>;
    /** The credential's `allowedHosts` (origins, hosts, `*.domains`); null when it does not exist. */
    allowedHosts(credentialId: string): Promise<readonly string[] | null>;
  };
  /** Read/write the workspace's data collections. */
  data?: {
    find(collection: string, filter: Record<string, JsonValue>, limit?: number): Promise<Array<{ id: string; data: Record<string, JsonValue> }>>;
    insert(collection: string, data: Record<string, JsonValue>): Promise<{ id: string }>;
    update(collection: string, id: string, patch: Record<string, JsonValue>): Promise<boolean>;
  };
  /** Live output of a running step (AI text deltas, tool calls) for the run view; absent when nobody relays it. */
  liveOutput?: {
    open(nodeId: string, attempt: number): {
      write(text: string): void;
      toolCall(call: { callId: string; name: string; status: 'called' | 'returned' }): void;
      end(): void;
    };
  };
  /** Anything else a node family needs (e.g. AI provider defaults, price table). */
  [key: string]: unknown;
}

/** Budget view given to nodes that spend (AI): how much the run has used so far. */
export interface RunBudget {
  usedTokens: number;
  usedCost: number;
  maxTokens?: number;
  maxCost?: number;
}

/** The narrow context a node executes with. Never the engine or a database client. */
export interface NodeContext<P = unknown> {
  /** Parameters after `{{ }}` templates were evaluated and the node's schema parsed them. */
  params: P;
  /** The node's input: the single predecessor's output, or `{ [predecessorId]: output }` when several. */
  input: JsonValue;
  /** The trigger payload. */
  trigger: JsonValue;
  /** Outputs of steps finished so far, by node id. */
  steps: Readonly<Record<string, JsonValue>>;
  runId: string;
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  attempt: number;
  /** Stable per run + node + attempt: sent as `Idempotency-Key` on outbound calls. */
  idempotencyKey: string;
  signal: AbortSignal;
  clock: Clock;
  log: NodeLogger;
  services: NodeServices;
  budget: RunBudget;
  /** State this node saved when it parked the run (durable delay), on resume. */
  resumeState?: JsonValue;
  /**
   * On resume of a node that waited (`NodeResult.wait`): the signal delivered to the run, when it is the one this
   * node waits for. Absent on a deadline resume (the node takes its timeout branch).
   */
  resumeSignal?: { signal: string; payload: JsonValue };
}

export interface NodeResult {
  output: JsonValue;
  /** Routing nodes: the output handle taken; the other handles' branches are skipped. */
  handle?: string;
  usage?: Partial<StepUsage>;
  /** `respond` nodes: the HTTP answer for sync webhooks. */
  response?: RunResponse;
  /** Durable delay: park the run until `resumeAt` (epoch ms); the node runs again then with `resumeState`. */
  park?: { resumeAt: number; state?: JsonValue };
  /**
   * Wait for a signal (approval, event, child run) until `deadline` (epoch ms): the run is parked holding no worker;
   * the node runs again with `resumeState` and `resumeSignal` when the signal arrives, or without it at the deadline.
   */
  wait?: { signal: string; deadline: number; state?: JsonValue };
}

export interface HandleSpec {
  id: string;
  label?: string;
}

/** UI metadata + parameter schema + behaviour of one node type. */
export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  label: string;
  description: string;
  category: 'trigger' | 'core' | 'flow' | 'data' | 'http' | 'ai';
  /** Icon name for the editor (a small fixed set the web app knows). */
  icon: string;
  /** Parameter schema; `data` of the node is parsed with it. */
  params: S;
  /** Input handles (usually one, `in`); trigger nodes have none. */
  inputs: HandleSpec[];
  /** Output handles; may depend on params (switch: one per case + default). */
  outputs: HandleSpec[] | ((params: z.infer<S>) => HandleSpec[]);
  /** Merge-like nodes wait for every live incoming branch. @default false */
  waitsForAllInputs?: boolean;
  /**
   * Top-level params taken as written: never evaluated as `{{ }}` templates. For source code (the `code` node): a
   * template evaluated into code would let a webhook payload inject code. @default []
   */
  literalParams?: readonly string[];
  /** Nodes added by a connector (`@outrun/connector-kit`): which one, its version, the credential type it needs. */
  connector?: NodeConnectorInfo;
  /**
   * Called once per process when the first run containing this node type starts executing (never on validation):
   * starts what the node's first step would otherwise wait for — the code node's worker thread — so a runner whose
   * workflows never use the node does not hold it. Must not throw; a failure shows in the step itself.
   */
  prepare?(): void;
  execute(ctx: NodeContext<z.infer<S>>): Promise<NodeResult>;
}

/** Node types by type name. */
export type NodeCatalog = ReadonlyMap<string, NodeDefinition>;

// ── the engine's entry points (implemented in execute-workflow.ts and validate-workflow.ts) ──

/** One problem found by `validateWorkflow`; `path` such as `nodes.3.data.url`. */
export interface ValidationProblem {
  code: string;
  path: string;
  message: string;
  nodeId?: string;
  /** The nodes involved, e.g. every node of a cycle in order. */
  nodeIds?: string[];
}

/**
 * Recorded step as the engine reports it through hooks and reads it back on resume: the one step shape, the
 * schema's `Step`, with its instants as epoch ms (the engine computes with them) and usage as the node reported
 * it (the store applies the schema's defaults).
 */
export type EngineStep = Omit<Step, 'startedAt' | 'finishedAt' | 'usage'> & {
  startedAt: number;
  finishedAt?: number | undefined;
  usage?: Partial<StepUsage> | undefined;
};

export interface ExecutionHooks {
  /** Awaited before the node executes (the runner records it durably). */
  onStepStart?(step: EngineStep): Promise<void> | void;
  /** Awaited after each attempt's outcome and for skipped nodes. */
  onStepFinish?(step: EngineStep): Promise<void> | void;
  /**
   * Wraps each attempt's `node.execute` (after `onStepStart`, before `onStepFinish`), e.g. to make a tracing
   * span the active context of the node's own calls. Must call `attempt` exactly once and return its result.
   */
  aroundAttempt?<T>(step: { nodeId: string; nodeType: string; attempt: number }, attempt: () => Promise<T>): Promise<T>;
}

export interface ExecuteWorkflowOptions {
  workflow: {
    id: string;
    workspaceId: string;
    nodes: ReadonlyArray<{ id: string; type: string; data?: Record<string, unknown>; settings?: unknown }>;
    edges: ReadonlyArray<{ id: string; source: string; target: string; sourceHandle?: string | null | undefined; targetHandle?: string | null | undefined }>;
    settings: {
      timeout: number;
      retryPolicy: { maxRetries: number; backoffStrategy: 'exponential' | 'fixed' | 'linear'; initialDelay: number; maxDelay: number; jitter: number };
      branchConcurrency?: number | undefined;
      maxCostPerRun?: number | undefined;
      maxTokensPerRun?: number | undefined;
    };
  };
  runId: string;
  /** The firing trigger: execution starts at the nodes wired to its trigger node (or the root nodes). */
  trigger: { triggerId?: string; type: string; payload: JsonValue };
  catalog: NodeCatalog;
  /** Steps already recorded (resume): completed ones are skipped and their outputs reused. */
  recordedSteps?: ReadonlyArray<EngineStep>;
  hooks?: ExecutionHooks;
  services?: NodeServices;
  clock: Clock;
  random: Random;
  log?: NodeLogger;
  /** Cancels the run: in-flight nodes see it aborted; no new step starts. */
  signal?: AbortSignal;
  /** Epoch ms at which the run started (first attempt), for the run timeout across resumes. @default clock.now() */
  startedAt?: number;
  /** The signal delivered to the run that woke it (resume): handed to the waiting node that waits for it. */
  resumeSignal?: { signal: string; payload: JsonValue };
}

export interface ExecutionResult {
  status: 'completed' | 'failed' | 'cancelled' | 'parked';
  error?: { code: string; message: string; nodeId?: string };
  /** Outputs by node id of every completed step. */
  outputs: Record<string, JsonValue>;
  /** The last completed node's output (or the respond node's body). */
  output?: JsonValue;
  response?: RunResponse;
  usage: { aiTokensUsed: number; estimatedCost: number; webhooksCalled: number; unpricedCalls: number; unpricedTokens?: number };
  /** When parked (durable delay): resume no earlier than this epoch ms. */
  resumeAt?: number;
  /** When parked by a waiting node: the signal it waits for (the earliest such node's, when several wait). */
  waitingFor?: string;
}
