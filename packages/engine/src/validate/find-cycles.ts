import type { GraphEdge } from './validate-edges';

/** A cycle found by {@link findCycles}: the node indices in order, and the edge that closes it. */
export interface FoundCycle {
  nodes: number[];
  closingEdge: number;
}

/**
 * Finds cycles with an iterative depth-first search (safe on 10,000-node chains): each back edge
 * yields the cycle on the current path. Every node on a cycle appears in at least one result.
 * @param limit stop after this many cycles. @default 100
 */
export function findCycles(nodeCount: number, edges: GraphEdge[], limit = 100): FoundCycle[] {
  const out: Array<Array<{ target: number; edge: number }>> = Array.from({ length: nodeCount }, () => []);
  for (const e of edges) (out[e.source] as Array<{ target: number; edge: number }>).push({ target: e.target, edge: e.index });
  const color = new Uint8Array(nodeCount); // 0 white, 1 on path, 2 done
  const posOnPath = new Int32Array(nodeCount).fill(-1);
  const path: number[] = [];
  const next: number[] = [];
  const cycles: FoundCycle[] = [];
  for (let root = 0; root < nodeCount && cycles.length < limit; root++) {
    if (color[root] !== 0) continue;
    color[root] = 1;
    posOnPath[root] = 0;
    path.push(root);
    next.push(0);
    while (path.length > 0 && cycles.length < limit) {
      const depth = path.length - 1;
      const node = path[depth] as number;
      const i = next[depth] as number;
      const arcs = out[node] as Array<{ target: number; edge: number }>;
      if (i >= arcs.length) {
        color[node] = 2;
        posOnPath[node] = -1;
        path.pop();
        next.pop();
        continue;
      }
      next[depth] = i + 1;
      const { target, edge } = arcs[i] as { target: number; edge: number };
      if (color[target] === 1) cycles.push({ nodes: path.slice(posOnPath[target] as number), closingEdge: edge });
      else if (color[target] === 0) {
        color[target] = 1;
        posOnPath[target] = path.length;
        path.push(target);
        next.push(0);
      }
    }
    path.length = 0;
    next.length = 0;
  }
  return cycles;
}
