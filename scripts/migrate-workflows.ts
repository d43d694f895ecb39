/**
 * Imports existing React Flow workflows (`[{name, nodes, edges, triggers?, settings?}]`) into a workspace as
 * drafts through the gateway, one by one, reporting for each what was imported, what the gateway refused, and
 * which validation problems the draft still has (they must be fixed before activation).
 */
import { OutrunApiError, type WorkflowApi } from '@outrun/client';
import { WorkflowEdge, WorkflowNode, type WorkflowInputRaw } from '@outrun/schemas';

export interface Problem {
  path: string;
  message: string;
}

export type MigrationResult =
  | { index: number; name: string; status: 'imported'; workflowId: string; problems: Problem[] }
  | { index: number; name: string; status: 'failed'; code: string; message: string; problems: Problem[] };

export interface MigrateOptions {
  api: WorkflowApi;
  workspaceId: string;
  items: unknown[];
  /** Validate only; create nothing. @default false */
  dryRun?: boolean;
  onProgress?(result: MigrationResult, done: number, total: number): void;
}

const NODE_KEYS = Object.keys(WorkflowNode.shape);
const EDGE_KEYS = Object.keys(WorkflowEdge.shape);

/** Keeps only the fields Outrun stores; React Flow adds view state (positionAbsolute, sourcePosition, …). */
function pick(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => keys.includes(k)));
}

/** The gateway body for one legacy item (shape problems are left for the gateway to report). */
export function toWorkflowInput(item: unknown, index: number): WorkflowInputRaw {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const body: Record<string, unknown> = {
    name: typeof o.name === 'string' && o.name.trim() !== '' ? o.name : `Imported workflow ${index + 1}`,
    nodes: Array.isArray(o.nodes) ? o.nodes.map((n) => pick(n, NODE_KEYS)) : o.nodes,
    edges: Array.isArray(o.edges) ? o.edges.map((e) => pick(e, EDGE_KEYS)) : o.edges,
  };
  for (const key of ['description', 'triggers', 'settings', 'tags']) if (o[key] !== undefined) body[key] = o[key];
  return body as unknown as WorkflowInputRaw;
}

const detailsOf = (err: OutrunApiError): Problem[] => err.details.map((d) => ({ path: d.path.replace(/^body\./, ''), message: d.message }));

export async function migrateWorkflows(options: MigrateOptions): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [];
  for (const [index, item] of options.items.entries()) {
    const input = toWorkflowInput(item, index);
    let result: MigrationResult;
    try {
      const { problems } = await options.api.validateWorkflow(options.workspaceId, input);
      const workflowId = options.dryRun ? '(dry run)' : (await options.api.createWorkflow(options.workspaceId, input)).id;
      result = { index, name: input.name, status: 'imported', workflowId, problems: problems.map(({ path, message }) => ({ path, message })) };
    } catch (err) {
      if (!(err instanceof OutrunApiError) || err.status === 0 || err.status >= 500) throw err;
      result = { index, name: input.name, status: 'failed', code: err.code, message: err.message, problems: detailsOf(err) };
    }
    results.push(result);
    options.onProgress?.(result, index + 1, options.items.length);
  }
  return results;
}
