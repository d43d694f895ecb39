/**
 * The node authors' harness: run one node definition without an engine or a server.
 * Parameters are parsed with the node's schema first (so defaults apply and bad params fail the
 * same way they would in a workflow), logs and usage are captured.
 */
import { ErrorCode, NonRetriableError, type JsonValue, type RunResponse, type StepUsage } from '@outrun/schemas';
import { systemClock, type Clock, type NodeDefinition, type NodeLogger, type NodeServices, type RunBudget } from '@outrun/engine';

export interface RunNodeOptions {
  /** The node's `data` before parsing (defaults are applied by the schema). */
  params: unknown;
  /** @default null */
  input?: JsonValue;
  /** @default null */
  trigger?: JsonValue;
  /** Outputs of earlier steps by node id. @default {} */
  steps?: Record<string, JsonValue>;
  /** @default {} (no http client, credentials or data) */
  services?: NodeServices;
  /** @default the system clock */
  clock?: Clock;
  /** @default a signal that never aborts */
  signal?: AbortSignal;
  /** State saved by an earlier `park` (pass `result.park?.state`); `undefined` = first run. */
  resumeState?: JsonValue | undefined;
  /** @default 1 */
  attempt?: number;
  /** @default 'node-1' */
  nodeId?: string;
  /** @default 'run-test' */
  runId?: string;
  /** @default { usedTokens: 0, usedCost: 0 } */
  budget?: RunBudget;
}

export interface CapturedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

export interface RunNodeResult {
  output: JsonValue;
  handle?: string;
  response?: RunResponse;
  park?: { resumeAt: number; state?: JsonValue };
  logs: CapturedLog[];
  usage: Partial<StepUsage>;
}

function captureLogger(logs: CapturedLog[]): NodeLogger {
  const at = (level: CapturedLog['level']) => (msg: string, fields: Record<string, unknown> = {}) => logs.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Parses params like the engine does; invalid params throw `NonRetriableError(OUT_ERR_INVALID_NODE_PARAMS)` with `data.*` paths. */
export function parseNodeParams<D extends NodeDefinition>(definition: D, params: unknown): unknown {
  const parsed = definition.params.safeParse(params);
  if (parsed.success) return parsed.data;
  throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, `Invalid parameters for ${definition.type}`, {
    details: parsed.error.issues.map((issue) => ({ path: ['data', ...issue.path.map(String)].join('.'), message: issue.message })),
  });
}

/** Runs `definition.execute` once with a fully built context; errors propagate as the node threw them. */
export async function runNode(definition: NodeDefinition, options: RunNodeOptions): Promise<RunNodeResult> {
  const logs: CapturedLog[] = [];
  const runId = options.runId ?? 'run-test';
  const nodeId = options.nodeId ?? 'node-1';
  const attempt = options.attempt ?? 1;
  const result = await definition.execute({
    params: parseNodeParams(definition, options.params),
    input: options.input ?? null,
    trigger: options.trigger ?? null,
    steps: options.steps ?? {},
    runId,
    workspaceId: 'ws-test',
    workflowId: 'wf-test',
    nodeId,
    attempt,
    idempotencyKey: `${runId}:${nodeId}:${attempt}`,
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? systemClock,
    log: captureLogger(logs),
    services: options.services ?? {},
    budget: options.budget ?? { usedTokens: 0, usedCost: 0 },
    ...(options.resumeState === undefined ? {} : { resumeState: options.resumeState }),
  });
  return {
    output: result.output,
    ...(result.handle === undefined ? {} : { handle: result.handle }),
    ...(result.response === undefined ? {} : { response: result.response }),
    ...(result.park === undefined ? {} : { park: result.park }),
    logs,
    usage: result.usage ?? {},
  };
}
