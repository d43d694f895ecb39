/**
 * The editor's test loop on the API side (docs/editor.md): a test run of the draft with pinned outputs recorded
 * first, "execute this step" (the step's ancestors reuse an earlier run's outputs), and one-shot test listeners
 * (the next delivery to a test URL becomes a test run). Execution itself happens in the runner, like any run.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, UserError, type Clock, type JsonValue, type Run, type Step, type Workflow, type WorkflowDraft } from '@outrun/schemas';
import type { RunLifecycle } from '@outrun/queue';
import type { Store } from '@outrun/store';
import { conflict, notFound } from '../http/errors';

export interface TestRunRequest {
  payload?: JsonValue | undefined;
  triggerId?: string | undefined;
  /** Reuse this run's trigger payload (when none is given) and, with `step`, its step outputs. @default the last run */
  fromRunId?: string | undefined;
  /** Execute only this step (and what it depends on that has no reusable output). */
  step?: string | undefined;
}

type Definition = Pick<Workflow | WorkflowDraft, 'nodes' | 'edges' | 'triggers'>;

const invalid = (path: string, message: string, text: string) => new UserError(ErrorCode.VALIDATION, text, 400, { details: [{ path, message }] });

/** Every node `step` depends on (its ancestors), without `step` itself. */
export function ancestorsOf(def: Pick<Definition, 'edges'>, step: string): Set<string> {
  const seen = new Set<string>();
  const queue = [step];
  while (queue.length > 0) {
    const target = queue.pop() as string;
    for (const e of def.edges) if (e.target === target && !seen.has(e.source) && e.source !== step) { seen.add(e.source); queue.push(e.source); }
  }
  return seen;
}

/** Completed steps recorded before the run starts: pinned outputs, and for `step` the ancestors' earlier outputs. */
export function seededSteps(def: Definition, at: string, step: string | undefined, source: Run | null): Step[] {
  const seeded = new Map<string, Step>();
  const reuse = step === undefined ? new Set<string>() : ancestorsOf(def, step);
  for (const s of source?.steps ?? []) {
    if (s.status !== 'completed' || !reuse.has(s.nodeId)) continue;
    seeded.set(s.nodeId, { ...s, error: undefined } as Step);
  }
  for (const n of def.nodes) {
    if (n.pinned === undefined || n.id === step) continue;
    seeded.set(n.id, { nodeId: n.id, nodeType: n.type, status: 'completed', attempt: 1, startedAt: at, finishedAt: at, duration: 0, output: n.pinned });
  }
  return [...seeded.values()].map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Step);
}

export interface TestRunDeps {
  store: Store;
  lifecycle: RunLifecycle;
  clock: Pick<Clock, 'now'>;
}

/** Starts a test run of the workflow's draft (or live version when there is none). */
export async function startTestRun(deps: TestRunDeps, ws: string, workflowId: string, request: TestRunRequest, source: 'editor' | 'test-event' = 'editor'): Promise<Run> {
  const { workflows, runs } = deps.store;
  const workflow = await workflows.getWorkflow(ws, workflowId);
  if (!workflow) throw notFound('Workflow');
  if (workflow.status === 'archived') throw conflict('An archived workflow cannot run.');
  const def: Definition = (await workflows.getWorkflowDraft(ws, workflowId)) ?? workflow;
  const trigger = request.triggerId === undefined ? def.triggers[0] : def.triggers.find((t) => t.id === request.triggerId);
  if (request.triggerId !== undefined && !trigger) throw invalid('body.triggerId', 'not a trigger of this workflow', 'Unknown trigger.');
  if (request.step !== undefined && !def.nodes.some((n) => n.id === request.step)) throw invalid('body.step', 'not a node of the workflow', 'That step is not in the workflow.');
  let from: Run | null = null;
  if (request.fromRunId !== undefined) {
    from = await runs.getRun(ws, request.fromRunId);
    if (!from || from.workflowId !== workflowId) throw invalid('body.fromRunId', 'not a run of this workflow', 'That run is not a run of this workflow.');
  } else if (request.payload === undefined || request.step !== undefined) {
    const last = (await runs.listRuns(ws, { workflowId, limit: 1 })).items[0];
    from = last ? await runs.getRun(ws, last.id) : null;
  }
  const payload: JsonValue = request.payload ?? from?.triggeredBy.payload ?? {};
  const at = new Date(deps.clock.now()).toISOString();
  return deps.lifecycle.acceptTest(ws, {
    workflowId,
    workflowVersion: workflow.version,
    triggeredBy: {
      type: trigger?.type ?? 'manual',
      source: `test:${source}`,
      ...(trigger ? { triggerId: trigger.id } : {}),
      payload,
      test: request.step === undefined ? {} : { step: request.step },
    },
    seeded: seededSteps(def, at, request.step, from),
  });
}

interface Listener {
  ws: string;
  workflowId: string;
  triggerId: string | undefined;
  expiresAt: number;
  runId?: string;
}

/** One-shot test URLs, in this API process's memory: each takes one delivery before it expires. */
export class TestListeners {
  private readonly byToken = new Map<string, Listener>();

  constructor(private readonly clock: Pick<Clock, 'now'>, private readonly ttlMs = 10 * 60_000, private readonly max = 1000) {}

  open(ws: string, workflowId: string, triggerId: string | undefined): { token: string; expiresAt: string } {
    this.sweep();
    if (this.byToken.size >= this.max) throw new UserError(ErrorCode.RATE_LIMITED, 'Too many test listeners are open; try again in a few minutes.', 429);
    const token = randomBytes(18).toString('base64url');
    const expiresAt = this.clock.now() + this.ttlMs;
    this.byToken.set(token, { ws, workflowId, triggerId, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The listener of `token` for its own workspace and workflow (a foreign one reads as absent). */
  get(token: string, ws?: string, workflowId?: string): Listener | null {
    const l = this.byToken.get(token);
    if (!l || l.expiresAt <= this.clock.now()) return null;
    if (ws !== undefined && (l.ws !== ws || l.workflowId !== workflowId)) return null;
    return l;
  }

  /** Claims the listener for one delivery: false when it already took one. */
  claim(l: Listener): boolean {
    if (l.runId !== undefined) return false;
    l.runId = '';
    return true;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [token, l] of this.byToken) if (l.expiresAt <= now) this.byToken.delete(token);
  }
}

/** A test delivery shaped like a real webhook delivery (`{body, query, headers, method}`), minus credentials. */
export function deliveryPayload(req: { body: unknown; query: unknown; headers: Record<string, unknown>; method: string }): JsonValue {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'authorization' && k !== 'cookie' && typeof v === 'string') headers[k] = v;
  return { body: (req.body ?? {}) as JsonValue, query: (req.query ?? {}) as JsonValue, headers, method: req.method } as JsonValue;
}
