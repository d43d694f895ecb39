import { ErrorCode } from '@outrun/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestCatalog, graph, runGraph, type BuiltWorkflow } from '../testing';
import { validateWorkflow } from '../validate/validate-workflow';

/**
 * Random DAGs: nodes n0…n(k-1), edges only from lower to higher index (so acyclic). A node is a
 * condition (routes on a fixed boolean), a slow echo (random duration, to shuffle timings) or an echo.
 */
interface Spec {
  kinds: Array<{ kind: 'cond' | 'slow' | 'echo' | 'set'; value: boolean; ms: number }>;
  edges: Array<{ s: number; t: number; handle: 'true' | 'false' }>;
  concurrency: number;
}

const specArb: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    kinds: fc.array(fc.record({ kind: fc.constantFrom('cond', 'slow', 'echo', 'set'), value: fc.boolean(), ms: fc.integer({ min: 1, max: 50 }) }), { minLength: n, maxLength: n }),
    edges:
      n < 2
        ? fc.constant([])
        : fc.uniqueArray(
            fc.record({ t: fc.integer({ min: 1, max: n - 1 }), s: fc.nat(), handle: fc.constantFrom('true', 'false') }).map((e) => ({ ...e, s: e.s % e.t })),
            { maxLength: n * 2, selector: (e) => `${e.s}-${e.t}` },
          ),
    concurrency: fc.integer({ min: 1, max: 4 }),
  }) as fc.Arbitrary<Spec>,
);

function build(spec: Spec): BuiltWorkflow {
  const b = graph().settings({ branchConcurrency: spec.concurrency });
  spec.kinds.forEach((k, i) => {
    if (k.kind === 'cond') b.node(`n${i}`, 'test.condition', { value: k.value });
    else if (k.kind === 'slow') b.node(`n${i}`, 'test.slow', { ms: k.ms });
    else if (k.kind === 'set') b.node(`n${i}`, 'test.set', { values: { [`v${i}`]: i } });
    else b.node(`n${i}`, 'test.echo');
  });
  for (const e of spec.edges) b.edge(`n${e.s}`, `n${e.t}`, spec.kinds[e.s]?.kind === 'cond' ? e.handle : undefined);
  return b.build();
}

/** Reference semantics: a root runs; another node runs iff a live edge reaches it from a node that ran. */
function expectedRuns(spec: Spec): Set<string> {
  const ran = new Set<number>();
  spec.kinds.forEach((_, i) => {
    const incoming = spec.edges.filter((e) => e.t === i);
    const live = incoming.some((e) => ran.has(e.s) && (spec.kinds[e.s]?.kind !== 'cond' || e.handle === String(spec.kinds[e.s]?.value)));
    if (incoming.length === 0 || live) ran.add(i);
  });
  return new Set([...ran].map((i) => `n${i}`));
}

describe('engine properties', () => {
  it('cycles are always rejected, by validation and by execution', async () => {
    await fc.assert(
      fc.asyncProperty(specArb.filter((s) => s.edges.length > 0), fc.nat(), async (spec, pick) => {
        const wf = build(spec);
        const e = spec.edges[pick % spec.edges.length] as Spec['edges'][number];
        wf.edges.push({ id: 'back', source: `n${e.t}`, target: `n${e.s}` });
        expect(validateWorkflow(wf, createTestCatalog().catalog, { requireTrigger: false }).some((p) => p.code === ErrorCode.CYCLE)).toBe(true);
        const t = createTestCatalog();
        const r = await runGraph(wf, t.catalog);
        expect(r.status).toBe('failed');
        expect(r.error?.code).toBe(ErrorCode.CYCLE);
        expect(t.calls).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('every node on a live path runs exactly once; skipped branches never run', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const t = createTestCatalog();
        const r = await runGraph(build(spec), t.catalog);
        const expected = expectedRuns(spec);
        expect(r.status).toBe('completed');
        expect([...t.calls].sort()).toEqual([...expected].sort());
        const skipped = r.steps.filter((s) => s.status === 'skipped').map((s) => s.nodeId);
        expect(new Set([...skipped, ...expected]).size).toBe(spec.kinds.length);
        expect(skipped.every((id) => !expected.has(id))).toBe(true);
        expect(t.maxConcurrent()).toBeLessThanOrEqual(spec.concurrency);
      }),
      { numRuns: 150 },
    );
  });

  it('resume after any prefix of recorded steps gives the same final outputs, never re-running a completed step', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, fc.nat(), async (spec, cut) => {
        const wf = build(spec);
        const full = await runGraph(wf, createTestCatalog().catalog, { payload: { seed: 1 } });
        const prefix = full.steps.slice(0, cut % (full.steps.length + 1));
        const done = new Set(prefix.filter((s) => s.status === 'completed').map((s) => s.nodeId));
        const t = createTestCatalog();
        const resumed = await runGraph(wf, t.catalog, { payload: { seed: 1 }, recordedSteps: prefix });
        expect(resumed.status).toBe('completed');
        expect(resumed.outputs).toEqual(full.outputs);
        expect(resumed.output).toEqual(full.output);
        expect(t.calls.filter((id) => done.has(id))).toEqual([]);
        expect(resumed.steps.filter((s) => done.has(s.nodeId))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
