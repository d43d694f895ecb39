import type { ApiErrorDetail } from '../../lib/api';

/** A problem from the API, resolved to the node (or edge) it concerns. */
export interface Problem extends ApiErrorDetail {
  nodeId?: string;
  edgeId?: string;
}

/** The parts of a saved workflow body the paths index into. */
export interface SavedGraph {
  nodes: Array<{ id: string; data: Record<string, unknown> }>;
  edges: Array<{ id: string }>;
  triggers: Array<{ id: string }>;
}

/**
 * Maps `nodes.3.data.url` / `triggers.0.config.cron` / `edges.2` to the element at that index of the saved body
 * (request-body paths carry a `body.` prefix, which is dropped).
 */
export function resolveProblems(details: ApiErrorDetail[], body: SavedGraph): Problem[] {
  return details.map((raw) => {
    const d = { ...raw, path: raw.path.replace(/^body\./, '') };
    const [head, index] = d.path.split('.');
    const i = Number(index);
    if (head === 'nodes' && body.nodes[i]) return { ...d, nodeId: body.nodes[i].id };
    if (head === 'edges' && body.edges[i]) return { ...d, edgeId: body.edges[i].id };
    if (head === 'triggers' && body.triggers[i]) {
      const tid = body.triggers[i].id;
      const node = body.nodes.find((n) => n.data.triggerId === tid);
      return node ? { ...d, nodeId: node.id } : d;
    }
    return d;
  });
}

