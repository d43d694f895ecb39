import { describe, expect, it } from 'vitest';
import { tidy } from './graph-edits';
import { DEFAULT_SPACING, tidyLayout, type LayoutEdge, type LayoutNode, type Point } from './tidy-layout';
import type { Draft } from './use-workflow-draft';

const { layer: LAYER, row: ROW } = DEFAULT_SPACING;
const node = (id: string, x = 0, y = 0): LayoutNode => ({ id, position: { x, y } });
const edges = (...pairs: string[]): LayoutEdge[] => pairs.map((p) => {
  const [source = '', target = ''] = p.split('>');
  return { source, target };
});
const pos = (at: Map<string, Point>, id: string): Point => {
  const p = at.get(id);
  if (!p) throw new Error(`no position for ${id}`);
  return p;
};

/** Canvas nodes are about 170 × 60 px; two nodes overlap when both distances are under that. */
function overlapping(at: Map<string, Point>): string[] {
  const list = [...at.entries()];
  const out: string[] = [];
  list.forEach(([a, p], i) => list.slice(i + 1).forEach(([b, q]) => {
    if (Math.abs(p.x - q.x) < 200 && Math.abs(p.y - q.y) < 90) out.push(`${a}/${b}`);
  }));
  return out;
}

describe('tidyLayout', () => {
  it('lays a chain out left to right on one row, from the current top-left corner', () => {
    //  a ► b ► c ► d, stored scattered and out of order
    const at = tidyLayout([node('c', 40, 400), node('a', 500, 30), node('d', 10, 90), node('b', 300, 700)], edges('a>b', 'b>c', 'c>d'));
    expect(['a', 'b', 'c', 'd'].map((id) => pos(at, id))).toEqual([
      { x: 10, y: 30 },
      { x: 10 + LAYER, y: 30 },
      { x: 10 + 2 * LAYER, y: 30 },
      { x: 10 + 3 * LAYER, y: 30 },
    ]);
  });

  it('puts a merge one layer after the longest branch and spreads the branches over rows', () => {
    //        ┌► a ───────┐
    //  s ────┤           ├► m
    //        └► b1 ► b2 ─┘
    const at = tidyLayout([node('s'), node('a'), node('b1'), node('b2'), node('m')], edges('s>a', 's>b1', 'b1>b2', 'a>m', 'b2>m'));
    const [s, a, b1, b2, m] = ['s', 'a', 'b1', 'b2', 'm'].map((id) => pos(at, id)) as [Point, Point, Point, Point, Point];
    expect(a.x).toBe(s.x + LAYER);
    expect(b1.x).toBe(s.x + LAYER);
    expect(b2.x).toBe(s.x + 2 * LAYER);
    expect(m.x).toBe(b2.x + LAYER);
    expect(Math.abs(a.y - b1.y)).toBe(ROW);
    expect(overlapping(at)).toEqual([]);
  });

  it('orders a layer by its parents so edges do not cross', () => {
    //      ┌► top ► x
    //  s ──┤              y is listed first and stored above x, yet belongs beside its own parent
    //      └► bottom ► y
    const at = tidyLayout([node('y', 500, 0), node('s'), node('top', 250, 0), node('bottom', 250, 300), node('x', 500, 300)], edges('s>top', 's>bottom', 'top>x', 'bottom>y'));
    expect(pos(at, 'top').y).toBeLessThan(pos(at, 'bottom').y);
    expect(pos(at, 'x').y).toBe(pos(at, 'top').y);
    expect(pos(at, 'y').y).toBe(pos(at, 'bottom').y);
  });

  it('places disconnected parts and loose nodes without overlapping anything', () => {
    //  t ► a ► b     (and)  p ► q     (and)  loose1  loose2  loose3
    const nodes = [node('loose1', 5, 5), node('t'), node('a'), node('loose2', 5, 5), node('b'), node('p'), node('q'), node('loose3', 5, 5)];
    const at = tidyLayout(nodes, edges('t>a', 'a>b', 'p>q'));
    expect([...at.keys()].sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(overlapping(at)).toEqual([]);
    // The connected parts come first, the loose nodes in a row below them.
    const bottomOfGraphs = Math.max(...['t', 'a', 'b', 'p', 'q'].map((id) => pos(at, id).y));
    for (const id of ['loose1', 'loose2', 'loose3']) expect(pos(at, id).y).toBeGreaterThan(bottomOfGraphs);
    expect(pos(at, 'loose2').x).toBe(pos(at, 'loose1').x + LAYER);
  });

  it('terminates on cycles and still places every node once', () => {
    //  a ► b ► c ► a  (no source at all)      s ► x ⇄ y
    const at = tidyLayout([node('a'), node('b'), node('c'), node('s'), node('x'), node('y')], edges('a>b', 'b>c', 'c>a', 's>x', 'x>y', 'y>x', 'x>x'));
    expect(at.size).toBe(6);
    expect(overlapping(at)).toEqual([]);
    expect(pos(at, 'x').x).toBe(pos(at, 's').x + LAYER);
    expect(pos(at, 'y').x).toBe(pos(at, 'x').x + LAYER);
    expect(new Set(['a', 'b', 'c'].map((id) => pos(at, id).x)).size).toBe(3);
  });

  it('ignores edges to unknown nodes and handles an empty graph', () => {
    expect(tidyLayout([], []).size).toBe(0);
    const at = tidyLayout([node('a', 7, 9)], edges('a>ghost', 'ghost>a'));
    expect(pos(at, 'a')).toEqual({ x: 7, y: 9 });
  });
});

describe('tidy (draft edit)', () => {
  it('moves the nodes, and returns the same draft when they are already tidy (no empty undo step)', () => {
    const d: Draft = {
      name: 'wf',
      triggers: [],
      nodes: ['a', 'b'].map((id, i) => ({ id, type: 'outrun', position: { x: i * 50, y: i * 300 }, data: { kind: 'set', params: {} } })),
      edges: [{ id: 'e', source: 'a', target: 'b' }],
    };
    const once = tidy(d);
    expect(once).not.toBe(d);
    expect(once.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: LAYER, y: 0 }]);
    expect(d.nodes[1]?.position).toEqual({ x: 50, y: 300 });
    expect(tidy(once)).toBe(once);
  });
});
