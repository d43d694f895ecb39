import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createTestCatalog, graph, runGraph } from '../testing';
import type { NodeCatalog, NodeDefinition } from '../types';
import { validateWorkflow } from '../validate/validate-workflow';

/** The test catalog plus a `slow.start` type whose `prepare` is counted (and can be made to throw). */
function catalogWithPreparedType(options: { throws?: boolean } = {}) {
  const base = createTestCatalog();
  const prepared: string[] = [];
  const def = {
    type: 'slow.start', label: 'slow start', description: 'needs a warm resource', category: 'core', icon: 'box',
    params: z.object({}), inputs: [{ id: 'in' }], outputs: [{ id: 'out' }],
    prepare() {
      prepared.push('slow.start');
      if (options.throws) throw new Error('cannot start');
    },
    execute: async () => ({ output: 'ran' }),
  } as unknown as NodeDefinition;
  const catalog: NodeCatalog = new Map([...base.catalog, ['slow.start', def]]);
  return { catalog, prepared };
}

describe('node types prepared by the first run that contains them', () => {
  it('calls prepare once per process, when the first run containing the type starts — not for runs without it, not on validation', async () => {
    const { catalog, prepared } = catalogWithPreparedType();
    const without = graph().trigger('t').node('a', 'test.set').chain('t', 'a').build();
    const withIt = graph().trigger('t').node('s', 'slow.start').node('s2', 'slow.start').chain('t', 's', 's2').build();
    const another = graph().trigger('t').node('x', 'slow.start').chain('t', 'x').build();

    expect(validateWorkflow(withIt, catalog, { requireTrigger: true })).toEqual([]);
    await runGraph(without, catalog);
    expect(prepared).toEqual([]);

    const first = await runGraph(withIt, catalog);
    expect(first.status).toBe('completed');
    expect(prepared).toEqual(['slow.start']); // two nodes of the type: one prepare
    await runGraph(withIt, catalog);
    await runGraph(another, catalog);
    expect(prepared).toEqual(['slow.start']);
  });

  it('a prepare that throws does not fail the run (the step reports its own failure)', async () => {
    const { catalog, prepared } = catalogWithPreparedType({ throws: true });
    const r = await runGraph(graph().trigger('t').node('s', 'slow.start').chain('t', 's').build(), catalog);
    expect(prepared).toEqual(['slow.start']);
    expect(r.status).toBe('completed');
    expect(r.outputs.s).toBe('ran');
  });
});
