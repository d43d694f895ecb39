/**
 * "Tidy up": a layered left-to-right layout, small enough not to need a layout library.
 * Each connected part of the graph is laid out on its own: a node's layer (column) is the longest path to it from
 * the sources, and nodes in a layer are ordered by the average height of their parents, which keeps edges from
 * crossing in the common shapes (branches, merges). Parts are stacked top to bottom; loose nodes go in a row last.
 */

export interface Point {
  x: number;
  y: number;
}
export interface LayoutNode {
  id: string;
  position?: Point;
}
export interface LayoutEdge {
  source: string;
  target: string;
}
export interface Spacing {
  /** Horizontal distance between layers (node width ~170 px plus room for the edges). */
  layer: number;
  /** Vertical distance between rows. */
  row: number;
}

export const DEFAULT_SPACING: Spacing = { layer: 260, row: 120 };
/** Loose nodes per row, at least (or as many as the widest part has layers). */
const MIN_LOOSE_PER_ROW = 4;

interface Graph {
  /** Input order, used to break ties so the layout is deterministic. */
  index: Map<string, number>;
  current: Map<string, Point>;
  parents: Map<string, string[]>;
  children: Map<string, string[]>;
}

function buildGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Graph {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const current = new Map(nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }]));
  const parents = new Map(nodes.map((n) => [n.id, [] as string[]]));
  const children = new Map(nodes.map((n) => [n.id, [] as string[]]));
  for (const e of edges) {
    // Dangling edges and self-loops say nothing about order.
    if (e.source === e.target || !index.has(e.source) || !index.has(e.target)) continue;
    children.get(e.source)?.push(e.target);
    parents.get(e.target)?.push(e.source);
  }
  return { index, current, parents, children };
}

/** Weakly connected components, each in input order, ordered by their first node. */
function components(nodes: readonly LayoutNode[], g: Graph): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of nodes) {
    if (seen.has(start.id)) continue;
    seen.add(start.id);
    const part = [start.id];
    for (let i = 0; i < part.length; i += 1) {
      const id = part[i] as string;
      for (const next of [...(g.parents.get(id) ?? []), ...(g.children.get(id) ?? [])]) {
        if (!seen.has(next)) {
          seen.add(next);
          part.push(next);
        }
      }
    }
    out.push(part.sort((a, b) => (g.index.get(a) ?? 0) - (g.index.get(b) ?? 0)));
  }
  return out;
}

/**
 * Longest-path layers (Kahn's order). When only cycles are left, the unplaced node with the fewest unplaced
 * parents is placed anyway and its remaining incoming edges are ignored. Placed nodes are never queued again, so
 * every node is placed exactly once and the loop ends.
 */
function longestPathLayers(ids: readonly string[], g: Pick<Graph, 'parents' | 'children'>): Map<string, number> {
  const waiting = new Map(ids.map((id) => [id, g.parents.get(id)?.length ?? 0]));
  const ready = ids.filter((id) => waiting.get(id) === 0);
  const layer = new Map<string, number>();
  while (layer.size < ids.length) {
    let id = ready.shift();
    if (id === undefined) {
      const unplaced = ids.filter((n) => !layer.has(n));
      id = unplaced.reduce((best, n) => ((waiting.get(n) ?? 0) < (waiting.get(best) ?? 0) ? n : best));
    }
    const placedParents = (g.parents.get(id) ?? []).flatMap((p) => (layer.has(p) ? [layer.get(p) as number] : []));
    layer.set(id, placedParents.length > 0 ? Math.max(...placedParents) + 1 : 0);
    for (const child of g.children.get(id) ?? []) {
      if (layer.has(child)) continue;
      const left = (waiting.get(child) ?? 0) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return layer;
}

/** Positions of one connected part, relative to its own top-left; returns them and the number of layers. */
function layoutPart(ids: readonly string[], g: Graph, spacing: Spacing): { at: Map<string, Point>; layers: number } {
  const layerOf = longestPathLayers(ids, g);
  const byLayer: string[][] = [];
  for (const id of ids) (byLayer[layerOf.get(id) ?? 0] ??= []).push(id);
  const at = new Map<string, Point>();
  const tie = (a: string, b: string) => {
    const pa = g.current.get(a) as Point;
    const pb = g.current.get(b) as Point;
    return pa.y - pb.y || pa.x - pb.x || (g.index.get(a) ?? 0) - (g.index.get(b) ?? 0);
  };
  byLayer.forEach((layer, depth) => {
    // Parents in earlier layers are placed already; edges coming back from later layers (cycles) are ignored.
    const key = new Map(layer.map((id): [string, number] => {
      const ys = (g.parents.get(id) ?? []).flatMap((p) => (at.has(p) && (layerOf.get(p) ?? 0) < depth ? [(at.get(p) as Point).y] : []));
      return [id, ys.length > 0 ? ys.reduce((s, y) => s + y, 0) / ys.length : Number.POSITIVE_INFINITY];
    }));
    const ordered = [...layer].sort((a, b) => {
      const ka = key.get(a) as number;
      const kb = key.get(b) as number;
      return ka === kb ? tie(a, b) : ka < kb ? -1 : 1;
    });
    // Rows are centred on the layer's axis, so a branch spreads evenly above and below its parent.
    ordered.forEach((id, row) => at.set(id, { x: depth * spacing.layer, y: (row - (ordered.length - 1) / 2) * spacing.row }));
  });
  const top = Math.min(...[...at.values()].map((p) => p.y));
  for (const p of at.values()) p.y -= top;
  return { at, layers: byLayer.length };
}

/**
 * New positions for every node, left to right by depth. The result keeps the top-left corner of the current
 * layout, so tidying does not move the graph away from where the user was looking.
 */
export function tidyLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], spacing: Spacing = DEFAULT_SPACING): Map<string, Point> {
  const out = new Map<string, Point>();
  if (nodes.length === 0) return out;
  const g = buildGraph(nodes, edges);
  const parts = components(nodes, g);
  const connected = parts.filter((p) => p.length > 1);
  const loose = parts.filter((p) => p.length === 1).map((p) => p[0] as string);
  const origin = {
    x: Math.min(...nodes.map((n) => n.position?.x ?? 0)),
    y: Math.min(...nodes.map((n) => n.position?.y ?? 0)),
  };
  let top = 0;
  let widest = 0;
  for (const part of connected) {
    const { at, layers } = layoutPart(part, g, spacing);
    widest = Math.max(widest, layers);
    let bottom = top;
    for (const [id, p] of at) {
      out.set(id, { x: p.x, y: p.y + top });
      bottom = Math.max(bottom, p.y + top);
    }
    // One and a half rows between parts, so they read as separate graphs.
    top = bottom + Math.round(spacing.row * 1.5);
  }
  const perRow = Math.max(MIN_LOOSE_PER_ROW, widest);
  loose.forEach((id, i) => out.set(id, { x: (i % perRow) * spacing.layer, y: top + Math.floor(i / perRow) * spacing.row }));
  for (const p of out.values()) {
    p.x = Math.round(p.x + origin.x);
    p.y = Math.round(p.y + origin.y);
  }
  return out;
}
