import { ErrorCode } from '@outrun/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestCatalog, graph } from '../testing';
import type { ValidationProblem } from '../types';
import { validateWorkflow } from './validate-workflow';

const { catalog } = createTestCatalog();
const brief = (problems: ValidationProblem[]): string[] => problems.map((p) => `${p.code} ${p.path}`);
const validate = (wf: unknown, requireTrigger = true) => validateWorkflow(wf, catalog, { requireTrigger });

/** t ──► a ──► b : a valid base to break in each test. */
const base = () => graph().trigger('t').node('a', 'test.set').node('b', 'test.echo').chain('t', 'a', 'b').build();

describe('validateWorkflow', () => {
  it('accepts a valid workflow', () => {
    expect(validate(base())).toEqual([]);
  });

  it('reports an unknown node type and invalid params at their paths', () => {
    const wf = base();
    wf.nodes[1]!.type = 'nope';
    wf.nodes.push({ id: 's', type: 'test.slow', position: { x: 0, y: 0 }, data: { ms: 'soon', ignoreAbort: 3 } });
    wf.edges.push({ id: 'e-s', source: 'b', target: 's' });
    expect(brief(validate(wf))).toEqual([`${ErrorCode.UNKNOWN_NODE_TYPE} nodes.1.type`, `${ErrorCode.INVALID_NODE_PARAMS} nodes.3.data.ms`, `${ErrorCode.INVALID_NODE_PARAMS} nodes.3.data.ignoreAbort`]);
    expect(validate(wf)[0]?.nodeId).toBe('a');
  });

  it('does not report schema issues at template values but checks their syntax with position', () => {
    const ok = graph().trigger('t').node('s', 'test.slow', { ms: '{{ input.ms }}' }).chain('t', 's').build();
    expect(validate(ok)).toEqual([]);
    const bad = graph().trigger('t').node('s', 'test.slow', { ms: '{{ input.ms + }}' }).chain('t', 's').build();
    const problems = validate(bad);
    expect(brief(problems)).toEqual([`${ErrorCode.EXPRESSION} nodes.1.data.ms`]);
    expect(problems[0]?.message).toMatch(/position \d+/);
  });

  it('reports duplicate node ids, dangling and duplicate edges', () => {
    const wf = base();
    wf.nodes.push({ id: 'a', type: 'test.echo', position: { x: 0, y: 0 }, data: {} });
    wf.edges.push({ id: 'x1', source: 'a', target: 'ghost' }, { id: 'x2', source: 'a', target: 'b' }, { id: 'x2', source: 'b', target: 'a', sourceHandle: null });
    expect(brief(validate(wf))).toEqual([
      `${ErrorCode.DUPLICATE_NODE_ID} nodes.3.id`,
      `${ErrorCode.DANGLING_EDGE} edges.2.target`,
      `${ErrorCode.DUPLICATE_EDGE} edges.3`,
      `${ErrorCode.DUPLICATE_EDGE} edges.4.id`,
      `${ErrorCode.CYCLE} edges.4`,
    ]);
  });

  it('reports edges from handles a node does not have (outputs may depend on params)', () => {
    //             ┌─maybe─► x      (no such handle)
    //  t ──► c ───┤
    //             └───────► y      (no handle on a two-output node)
    //  t ──► s(cases a) ─b─► z     (switch without case b)
    const wf = graph().trigger('t').node('c', 'test.condition', { value: 1 }).node('x', 'test.echo').node('y', 'test.echo')
      .node('s', 'test.switch', { cases: ['a'], value: 'a' }).node('z', 'test.echo').node('w', 'test.echo')
      .chain('t', 'c').edge('c', 'x', 'maybe').edge('c', 'y').chain('t', 's').edge('s', 'z', 'b').edge('s', 'w', 'a').build();
    expect(brief(validate(wf))).toEqual([`${ErrorCode.UNKNOWN_HANDLE} edges.1.sourceHandle`, `${ErrorCode.UNKNOWN_HANDLE} edges.2.sourceHandle`, `${ErrorCode.UNKNOWN_HANDLE} edges.4.sourceHandle`]);
  });

  it('reports an edge into a trigger node', () => {
    //  t ──► a ──► b ──► t2 (trigger node)
    const wf = graph().trigger('t').trigger('t2').node('a', 'test.set').node('b', 'test.echo').chain('t', 'a', 'b', 't2').build();
    const problems = validate(wf);
    expect(brief(problems)).toEqual([`${ErrorCode.EDGE_INTO_TRIGGER} edges.2.target`]);
    expect(problems[0]).toMatchObject({ nodeId: 't2', message: expect.stringContaining('"t2"') as unknown });
    // trigger → trigger too; and not for an edge from a trigger
    const twoTriggers = graph().trigger('t').trigger('t2').node('a', 'test.set').chain('t', 't2', 'a').build();
    expect(brief(validate(twoTriggers))).toEqual([`${ErrorCode.EDGE_INTO_TRIGGER} edges.0.target`]);
  });

  it('reports self-loops and cycles with their node ids', () => {
    //  t ──► a ──► b ──► c ──┐
    //        ▲               │
    //        └───────────────┘      d ──► d
    const wf = graph().trigger('t').node('a', 'test.echo').node('b', 'test.echo').node('c', 'test.echo').node('d', 'test.echo').chain('t', 'a', 'b', 'c', 'a').chain('t', 'd', 'd').build();
    const problems = validate(wf).filter((p) => p.code === ErrorCode.CYCLE);
    expect(problems.map((p) => [p.path, p.nodeIds])).toEqual([['edges.5', ['d']], ['edges.3', ['a', 'b', 'c']]]);
    expect(problems[1]?.message).toBe('Cycle: a → b → c → a');
  });

  it('reports unreachable nodes and a missing trigger', () => {
    //  t ──► a        lone
    const wf = graph().trigger('t').node('a', 'test.echo').node('lone', 'test.echo').chain('t', 'a').build();
    expect(brief(validate(wf))).toEqual([`${ErrorCode.UNREACHABLE_NODE} nodes.2`]);
    const noTrigger = graph().node('a', 'test.echo').node('b', 'test.echo').chain('a', 'b').build();
    expect(brief(validate(noTrigger))).toEqual([`${ErrorCode.NO_TRIGGER} triggers`]);
    expect(validate(noTrigger, false)).toEqual([]);
  });

  it('treats roots as start points when there are no trigger nodes', () => {
    //  a ──► b     x ◄──► y  (a cycle nobody reaches)
    const wf = graph().node('a', 'test.echo').node('b', 'test.echo').node('x', 'test.echo').node('y', 'test.echo').chain('a', 'b').chain('x', 'y', 'x').build();
    expect(brief(validate(wf, false))).toEqual([`${ErrorCode.CYCLE} edges.2`, `${ErrorCode.UNREACHABLE_NODE} nodes.2`, `${ErrorCode.UNREACHABLE_NODE} nodes.3`]);
  });

  it('validates trigger configs, cron expressions strictly and trigger node references', () => {
    const wf = base();
    wf.triggers = [
      { id: 't', type: 'webhook', config: { methods: ['FETCH' as 'GET'] } },
      { id: 's1', type: 'schedule', config: { cron: '0 0 31 2 *' } },
      { id: 's2', type: 'schedule', config: { cron: '' } },
      { id: 's3', type: 'schedule', config: { cron: '* * *' } },
      { id: 's4', type: 'schedule', config: { cron: '0 9 * * 1-5', timezone: 'Mars/Olympus' } },
      { id: 's5', type: 'schedule', config: { cron: '0 9 * * 1-5', timezone: 'Europe/Paris' } },
      { id: 's5', type: 'manual' },
    ];
    wf.nodes.push({ id: 'ghost-t', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'missing' } });
    expect(brief(validate(wf))).toEqual([
      `${ErrorCode.TRIGGER_INVALID} triggers.0.config.methods.0`,
      `${ErrorCode.INVALID_CRON} triggers.1.config.cron`,
      `${ErrorCode.INVALID_CRON} triggers.2.config.cron`,
      `${ErrorCode.INVALID_CRON} triggers.3.config.cron`,
      `${ErrorCode.TRIGGER_INVALID} triggers.4.config.timezone`,
      `${ErrorCode.TRIGGER_INVALID} triggers.6.id`,
      `${ErrorCode.TRIGGER_INVALID} nodes.3.data.triggerId`,
    ]);
  });

  it('rejects nesting beyond 64 levels and accepts 64', () => {
    const nest = (levels: number): Record<string, unknown> => {
      let v: Record<string, unknown> = {};
      for (let i = 1; i < levels; i++) v = { k: v };
      return v;
    };
    const ok = graph().trigger('t').node('a', 'test.set', { values: nest(63) }).chain('t', 'a').build();
    expect(validate(ok)).toEqual([]);
    const deep = graph().trigger('t').node('a', 'test.set', { values: nest(64) }).chain('t', 'a').build();
    const problems = validate(deep);
    expect(problems.map((p) => p.code)).toEqual([ErrorCode.TOO_DEEP]);
    expect(problems[0]?.path).toMatch(/^nodes\.1\.data\.values(\.k)+$/);
    const hostile = graph().trigger('t').node('a', 'test.set').chain('t', 'a').build();
    hostile.nodes[1]!.data = { values: nest(100_000) };
    expect(validate(hostile).map((p) => p.code)).toEqual([ErrorCode.TOO_DEEP]);
  });

  it('rejects __proto__, constructor and prototype keys anywhere in data', () => {
    const data = JSON.parse('{"values": {"ok": 1, "__proto__": {"x": 1}, "list": [{"constructor": 1}], "deep": {"prototype": 2}}}') as Record<string, unknown>;
    const wf = graph().trigger('t').node('a', 'test.set', data).chain('t', 'a').build();
    wf.nodes[1]!.data = data; // structuredClone in build() keeps own __proto__ keys, but be explicit
    expect(brief(validate(wf)).sort()).toEqual([
      `${ErrorCode.FORBIDDEN_KEY} nodes.1.data.values.__proto__`,
      `${ErrorCode.FORBIDDEN_KEY} nodes.1.data.values.deep.prototype`,
      `${ErrorCode.FORBIDDEN_KEY} nodes.1.data.values.list.0.constructor`,
    ]);
  });

  it('accepts unicode ids', () => {
    const wf = graph().trigger('触发').node('ノード', 'test.echo').node('😀', 'test.echo').chain('触发', 'ノード', '😀').build();
    expect(validate(wf)).toEqual([]);
  });

  it('handles a 10,000-node chain and refuses 10,001 nodes', () => {
    const b = graph().trigger('t');
    let prev = 't';
    for (let i = 0; i < 9_999; i++) {
      b.node(`n${i}`, 'test.echo').edge(prev, `n${i}`);
      prev = `n${i}`;
    }
    const wf = b.build();
    expect(validate(wf)).toEqual([]);
    wf.nodes.push({ id: 'extra', type: 'test.echo', position: { x: 0, y: 0 }, data: {} });
    wf.edges.push({ id: 'e-extra', source: prev, target: 'extra' });
    expect(brief(validate(wf))).toEqual([`${ErrorCode.TOO_LARGE} nodes`]);
  });

  it('finds a cycle closing a 10,000-node chain without overflowing', () => {
    const b = graph().node('n0', 'test.echo');
    for (let i = 1; i < 10_000; i++) b.node(`n${i}`, 'test.echo').edge(`n${i - 1}`, `n${i}`);
    b.edge('n9999', 'n0');
    const problems = validate(b.build(), false).filter((p) => p.code === ErrorCode.CYCLE);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.nodeIds).toHaveLength(10_000);
  });

  it('checks node and workflow settings, and the edge count', () => {
    const wf: Omit<ReturnType<typeof base>, 'settings'> & { settings: unknown } = base();
    wf.nodes[1]!.settings = { timeout: -1, retry: { backoffStrategy: 'random' } };
    wf.settings = { timeout: 5, branchConcurrency: 0 };
    expect(brief(validate(wf)).sort()).toEqual([
      `${ErrorCode.VALIDATION} nodes.1.settings.retry.backoffStrategy`,
      `${ErrorCode.VALIDATION} nodes.1.settings.timeout`,
      `${ErrorCode.VALIDATION} settings.branchConcurrency`,
      `${ErrorCode.VALIDATION} settings.timeout`,
    ]);
    const many = base();
    for (let i = 0; i < 50_000; i++) many.edges.push({ id: `d${i}`, source: 'a', target: 'b', sourceHandle: `h${i}` });
    expect(validate(many).filter((p) => p.code === ErrorCode.TOO_LARGE).map((p) => p.path)).toEqual(['edges']);
  });

  it('reports several problems at once', () => {
    const wf = base();
    wf.nodes.push({ id: 'q', type: 'nope', position: { x: 0, y: 0 }, data: {} });
    wf.edges.push({ id: 'z', source: 'a', target: 'nowhere' });
    wf.triggers = [];
    expect(brief(validate(wf))).toEqual([
      `${ErrorCode.NO_TRIGGER} triggers`,
      `${ErrorCode.TRIGGER_INVALID} nodes.0.data.triggerId`,
      `${ErrorCode.UNKNOWN_NODE_TYPE} nodes.3.type`,
      `${ErrorCode.DANGLING_EDGE} edges.2.target`,
      `${ErrorCode.UNREACHABLE_NODE} nodes.3`,
    ]);
  });

  it('turns garbage into problems, never exceptions', () => {
    expect(brief(validate(null))).toEqual([`${ErrorCode.VALIDATION} `]);
    expect(brief(validate({ nodes: 'x', edges: {} }))).toEqual([`${ErrorCode.VALIDATION} nodes`, `${ErrorCode.VALIDATION} edges`, `${ErrorCode.NO_TRIGGER} triggers`]);
    expect(brief(validate({ nodes: [null, 1, { id: '' }, { id: 'a/b' }, { id: 'ok', type: 5 }], edges: [7, { id: 'e' }], triggers: [null] }, false))).toEqual([
      `${ErrorCode.TRIGGER_INVALID} triggers.0`,
      `${ErrorCode.VALIDATION} nodes.0`, `${ErrorCode.VALIDATION} nodes.1`, `${ErrorCode.VALIDATION} nodes.2.id`, `${ErrorCode.VALIDATION} nodes.3.id`, `${ErrorCode.VALIDATION} nodes.4.type`,
      `${ErrorCode.VALIDATION} edges.0`, `${ErrorCode.VALIDATION} edges.1.source`, `${ErrorCode.VALIDATION} edges.1.target`,
    ]);
    const hostile = { get nodes(): unknown { throw new Error('boom'); }, edges: [] };
    expect(brief(validate(hostile))).toEqual([`${ErrorCode.VALIDATION} `]);
  });

  it('never throws on arbitrary input (fuzz)', () => {
    const node = fc.record({ id: fc.oneof(fc.string(), fc.constantFrom('a', 'b', 'c')), type: fc.oneof(fc.string(), fc.constantFrom('test.echo', 'test.switch', 'trigger')), data: fc.anything() }, { requiredKeys: [] });
    const edge = fc.record({ id: fc.string(), source: fc.constantFrom('a', 'b', 'c', 'zz'), target: fc.constantFrom('a', 'b', 'c'), sourceHandle: fc.anything() }, { requiredKeys: [] });
    const wf = fc.oneof(fc.anything(), fc.record({ nodes: fc.oneof(fc.array(node), fc.anything()), edges: fc.oneof(fc.array(edge), fc.anything()), triggers: fc.anything(), settings: fc.anything() }, { requiredKeys: [] }));
    fc.assert(fc.property(wf, (w) => Array.isArray(validate(w))), { numRuns: 500 });
  });
});
