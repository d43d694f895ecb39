import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan';
import { createTestCatalog, graph } from '../testing';
import { createGraphState, NodeState, propagateOutcome } from './propagate-outcome';

const { catalog } = createTestCatalog();

function settle(wf: ReturnType<ReturnType<typeof graph>['build']>) {
  const plan = buildPlan(wf, catalog);
  const state = createGraphState(plan);
  const idx = (id: string): number => plan.byId.get(id) as number;
  const ids = (list: number[]): string[] => list.map((i) => plan.nodes[i]?.id as string);
  return {
    plan,
    state,
    run(id: string, handle?: string) {
      const ready: number[] = [];
      const skipped: number[] = [];
      propagateOutcome(plan, state, idx(id), true, handle, ready, skipped);
      return { ready: ids(ready), skipped: ids(skipped) };
    },
    skip(id: string) {
      const ready: number[] = [];
      const skipped: number[] = [];
      propagateOutcome(plan, state, idx(id), false, undefined, ready, skipped);
      return { ready: ids(ready), skipped: ids(skipped) };
    },
    status: (id: string) => state.node[idx(id)],
  };
}

describe('propagateOutcome', () => {
  it('routes a condition along the taken handle and skips the rest transitively', () => {
    //        ┌─true──► yes ──► y2
    //  c ────┤
    //        └─false─► no ──► n2 ──► n3
    const s = settle(graph().node('c', 'test.condition').node('yes', 'test.echo').node('y2', 'test.echo').node('no', 'test.echo').node('n2', 'test.echo').node('n3', 'test.echo')
      .edge('c', 'yes', 'true').edge('c', 'no', 'false').chain('yes', 'y2').chain('no', 'n2', 'n3').build());
    expect(s.run('c', 'true')).toEqual({ ready: ['yes'], skipped: ['no', 'n2', 'n3'] });
    expect(s.status('n3')).toBe(NodeState.SKIPPED);
  });

  it('makes a merge wait for every live branch and not for dead ones', () => {
    //        ┌─true──► a ──┐
    //  c ────┤             ├──► m
    //        └─false─► b ──┘
    //  x ──────────────────┘
    const s = settle(graph().node('c', 'test.condition').node('x', 'test.echo').node('a', 'test.echo').node('b', 'test.echo').node('m', 'test.merge')
      .edge('c', 'a', 'true').edge('c', 'b', 'false').edge('a', 'm').edge('b', 'm').edge('x', 'm').build());
    expect(s.run('c', 'false')).toEqual({ ready: ['b'], skipped: ['a'] });
    expect(s.run('b')).toEqual({ ready: [], skipped: [] }); // x still live and pending
    expect(s.run('x')).toEqual({ ready: ['m'], skipped: [] });
  });

  it('skips a join only when every incoming edge is dead', () => {
    //  a ──► j ◄── b     (a and b both skipped)
    const s = settle(graph().node('a', 'test.echo').node('b', 'test.echo').node('j', 'test.echo').edge('a', 'j').edge('b', 'j').build());
    expect(s.skip('a')).toEqual({ ready: [], skipped: [] });
    expect(s.skip('b')).toEqual({ ready: [], skipped: ['j'] });
  });

  it('treats edges without a source handle as live whatever the handle', () => {
    //  c ──(no handle)──► a
    const s = settle(graph().node('c', 'test.condition').node('a', 'test.echo').edge('c', 'a').build());
    expect(s.run('c', 'false')).toEqual({ ready: ['a'], skipped: [] });
  });

  it('propagates a long skipped chain without recursion', () => {
    const b = graph().node('c', 'test.condition').node('keep', 'test.echo').edge('c', 'keep', 'true');
    let prev = 'c';
    for (let i = 0; i < 20_000; i++) {
      b.node(`n${i}`, 'test.echo');
      if (prev === 'c') b.edge('c', 'n0', 'false');
      else b.edge(prev, `n${i}`);
      prev = `n${i}`;
    }
    const s = settle(b.build());
    expect(s.run('c', 'true').skipped).toHaveLength(20_000);
  });
});
