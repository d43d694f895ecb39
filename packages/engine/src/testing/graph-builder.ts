import { TRIGGER_NODE_TYPE, WorkflowSettings, type TriggerInput } from '@outrun/schemas';

/** A workflow as both `executeWorkflow` and `validateWorkflow` take it. */
export interface BuiltWorkflow {
  id: string;
  workspaceId: string;
  nodes: Array<{ id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown>; settings?: Record<string, unknown> }>;
  edges: Array<{ id: string; source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }>;
  triggers: TriggerInput[];
  settings: WorkflowSettings;
}

/**
 * A small fluent builder for graph tests, meant to sit under an ASCII drawing of the graph:
 *
 * ```
 * //  t ──► a ──► c
 * //        └───► b
 * graph().trigger('t').node('a', 'test.set').node('b', 'test.set').node('c', 'test.set')
 *   .edge('t', 'a').edge('a', 'b').edge('a', 'c').build();
 * ```
 */
export class GraphBuilder {
  private readonly wf: BuiltWorkflow = {
    id: 'wf-test',
    workspaceId: 'ws-test',
    nodes: [],
    edges: [],
    triggers: [],
    settings: WorkflowSettings.parse({}),
  };
  private edgeSeq = 0;

  /** A trigger node `id` anchoring a trigger (manual by default) whose id is `triggerId` (default: `id`). */
  trigger(id: string, trigger: Partial<TriggerInput> & { id?: string } = {}): this {
    const triggerId = trigger.id ?? id;
    this.wf.triggers.push({ type: 'manual', ...trigger, id: triggerId } as TriggerInput);
    this.wf.nodes.push({ id, type: TRIGGER_NODE_TYPE, position: { x: 0, y: 0 }, data: { triggerId } });
    return this;
  }

  /** A node of `type` with `data` as its params and optional `settings` (retry, timeout, continueOnFail). */
  node(id: string, type: string, data: Record<string, unknown> = {}, settings?: Record<string, unknown>): this {
    const node: BuiltWorkflow['nodes'][number] = { id, type, position: { x: this.wf.nodes.length * 10, y: 0 }, data };
    if (settings !== undefined) node.settings = settings;
    this.wf.nodes.push(node);
    return this;
  }

  /** An edge `source → target`, optionally from output `sourceHandle`. */
  edge(source: string, target: string, sourceHandle?: string, id?: string): this {
    const edge: BuiltWorkflow['edges'][number] = { id: id ?? `e${this.edgeSeq++}:${source}->${target}`, source, target };
    if (sourceHandle !== undefined) edge.sourceHandle = sourceHandle;
    this.wf.edges.push(edge);
    return this;
  }

  /** Edges along `ids` in order: `chain('a','b','c')` = a → b → c. */
  chain(...ids: string[]): this {
    for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1] as string, ids[i] as string);
    return this;
  }

  /** Overrides workflow settings (timeout, retryPolicy fields, branchConcurrency, budgets). */
  settings(patch: Partial<Omit<WorkflowSettings, 'retryPolicy'>> & { retryPolicy?: Partial<WorkflowSettings['retryPolicy']> }): this {
    const { retryPolicy, ...rest } = patch;
    Object.assign(this.wf.settings, rest);
    if (retryPolicy) this.wf.settings.retryPolicy = { ...this.wf.settings.retryPolicy, ...retryPolicy };
    return this;
  }

  build(): BuiltWorkflow {
    return structuredClone(this.wf);
  }
}

/** Starts a {@link GraphBuilder}. */
export const graph = (): GraphBuilder => new GraphBuilder();
