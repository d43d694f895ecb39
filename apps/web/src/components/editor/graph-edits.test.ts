import { describe, expect, it } from 'vitest';
import { addFromPalette, connect, copySelection, paste } from './graph-edits';
import { fromCanvasEdge, fromCanvasNode, outputHandles, toCanvasEdge, toCanvasNode } from './graph-model';
import { resolveProblems } from './resolve-problems';
import type { Draft } from './use-workflow-draft';
import type { NodeTypeInfo } from '../../lib/api';

const empty = (): Draft => ({ name: 'wf', nodes: [], edges: [], triggers: [] });

describe('graph edits', () => {
  it('adds a trigger node together with its trigger entry, selected', () => {
    const { draft, id } = addFromPalette(empty(), 'trigger:webhook', { x: 10, y: 20 });
    expect(draft.nodes).toHaveLength(1);
    const node = draft.nodes[0];
    expect(node).toMatchObject({ id, selected: true, position: { x: 10, y: 20 }, data: { kind: 'trigger' } });
    expect(draft.triggers).toEqual([
      { id: node?.data.params.triggerId, type: 'webhook', active: true, config: { methods: ['POST'], auth: { type: 'none' }, responseMode: 'async' } },
    ]);
  });

  it('connects once per handle pair and labels routing handles', () => {
    //  a ──true──► b
    let d = addFromPalette(empty(), 'condition', { x: 0, y: 0 }).draft;
    d = addFromPalette(d, 'set', { x: 200, y: 0 }).draft;
    const [a, b] = d.nodes.map((n) => n.id) as [string, string];
    d = connect(d, { source: a, sourceHandle: 'true', target: b, targetHandle: 'in' });
    d = connect(d, { source: a, sourceHandle: 'true', target: b, targetHandle: 'in' });
    expect(d.edges).toEqual([{ id: `e-${a}-true-${b}`, source: a, target: b, sourceHandle: 'true', targetHandle: 'in', label: 'true' }]);
    expect(connect(d, { source: a, sourceHandle: null, target: a, targetHandle: null })).toBe(d);
  });

  it('copies the selection with inner edges and pastes it with fresh node and trigger ids', () => {
    //  trigger ──► set      (both selected)
    let d = addFromPalette(empty(), 'trigger:webhook', { x: 0, y: 0 }).draft;
    d = addFromPalette(d, 'set', { x: 200, y: 0 }).draft;
    const [t, s] = d.nodes.map((n) => n.id) as [string, string];
    d = connect(d, { source: t, sourceHandle: 'out', target: s, targetHandle: 'in' });
    d = { ...d, nodes: d.nodes.map((n) => ({ ...n, selected: true })), triggers: d.triggers.map((tr) => ({ ...tr, config: { auth: { type: 'hmac', credentialId: 'cred-1' } } }) as never) };
    const clip = copySelection(d);
    expect(clip?.nodes).toHaveLength(2);
    const pasted = paste(d, clip!);
    expect(pasted.nodes).toHaveLength(4);
    expect(new Set(pasted.nodes.map((n) => n.id)).size).toBe(4);
    expect(pasted.triggers).toHaveLength(2);
    const [oldTrigger, newTrigger] = pasted.triggers;
    expect(newTrigger?.id).not.toBe(oldTrigger?.id);
    // a pasted webhook needs its own secret
    expect((newTrigger as { config: { auth: Record<string, unknown> } }).config.auth).toEqual({ type: 'hmac' });
    const newNodes = pasted.nodes.slice(2);
    expect(newNodes.every((n) => n.selected)).toBe(true);
    expect(pasted.nodes.slice(0, 2).some((n) => n.selected)).toBe(false);
    expect(newNodes.find((n) => n.data.kind === 'trigger')?.data.params.triggerId).toBe(newTrigger?.id);
    expect(newNodes[0]?.position).toEqual({ x: 40, y: 40 });
    const newEdge = pasted.edges[1];
    expect(newEdge).toMatchObject({ source: newNodes[0]?.id, target: newNodes[1]?.id, sourceHandle: 'out' });
  });

  it('round-trips stored nodes and edges exactly', () => {
    const node = { id: 'n1', type: 'set', position: { x: 1, y: 2 }, data: { fields: [] }, label: 'Score', settings: { timeout: 5 } };
    const edge = { id: 'e1', source: 'a', target: 'b', sourceHandle: 'true', targetHandle: 'in' };
    expect(fromCanvasNode(toCanvasNode(node))).toEqual(node);
    expect(fromCanvasEdge(toCanvasEdge(edge))).toEqual(edge);
  });

  it('derives switch handles from its cases', () => {
    const info: NodeTypeInfo = { type: 'switch', label: 'Switch', description: '', category: 'flow', icon: 'split', inputs: [{ id: 'in' }], outputs: [{ id: 'default', label: 'Default' }], dynamicOutputs: true, waitsForAllInputs: false, paramsSchema: {} };
    expect(outputHandles(info, { cases: [{ id: 'vip', label: 'VIP' }, { id: 'std' }] })).toEqual([
      { id: 'vip', label: 'VIP' },
      { id: 'std', label: 'std' },
      { id: 'default', label: 'Default' },
    ]);
    expect(outputHandles(info, {})).toEqual([{ id: 'default', label: 'Default' }]);
  });

  it("adds the error handle when the node's settings route failures to it", () => {
    const info: NodeTypeInfo = { type: 'http-request', label: 'HTTP', description: '', category: 'http', icon: 'globe', inputs: [{ id: 'in' }], outputs: [{ id: 'out' }], dynamicOutputs: false, waitsForAllInputs: false, paramsSchema: {} };
    expect(outputHandles(info, {}, { onError: 'error-output' })).toEqual([{ id: 'out' }, { id: 'error', label: 'Error' }]);
    expect(outputHandles(info, {}, { onError: 'fail' })).toEqual([{ id: 'out' }]);
  });
});

describe('resolveProblems', () => {
  it('maps node, trigger and edge paths (with or without the body. prefix) to canvas elements', () => {
    const body = {
      nodes: [{ id: 'start', data: { triggerId: 'trg1' } }, { id: 'call', data: {} }],
      edges: [{ id: 'e0' }],
      triggers: [{ id: 'trg1' }],
    };
    const out = resolveProblems(
      [
        { path: 'body.nodes.1.data.url', message: 'must be a URL' },
        { path: 'triggers.0.config.cron', message: 'bad cron' },
        { path: 'edges.0', message: 'dangling' },
        { path: 'name', message: 'required' },
      ],
      body,
    );
    expect(out).toEqual([
      { path: 'nodes.1.data.url', message: 'must be a URL', nodeId: 'call' },
      { path: 'triggers.0.config.cron', message: 'bad cron', nodeId: 'start' },
      { path: 'edges.0', message: 'dangling', edgeId: 'e0' },
      { path: 'name', message: 'required' },
    ]);
  });
});

describe('expression preview', () => {
  it('sends the last run as the scope (steps without output left out) and formats the engine answer', async () => {
    const { previewRequest, previewText } = await import('./expression-preview');
    const scope = { input: { body: { name: 'Ada' } }, trigger: { x: 1 }, steps: { s1: { score: 14 }, pending: undefined } };
    expect(previewRequest('{{ $uppercase(input.body.name) }}', scope)).toEqual({
      template: '{{ $uppercase(input.body.name) }}',
      scope: { input: { body: { name: 'Ada' } }, trigger: { x: 1 }, steps: { s1: { score: 14 } } },
    });
    expect(previewText({ ok: true, value: { a: [1, 'b'] } })).toEqual({ text: 'Preview: {"a":[1,"b"]}', error: false });
    expect(previewText({ ok: true })).toEqual({ text: 'Preview: no value in the last run', error: false });
    expect(previewText({ ok: true, value: 'x'.repeat(500) }).text).toHaveLength('Preview: '.length + 161);
    expect(previewText({ ok: false, error: { code: 'OUT_ERR_EXPRESSION', message: 'Expected an expression', position: 7 } })).toEqual({
      text: 'Preview error (character 7): Expected an expression',
      error: true,
    });
    expect(previewText({ ok: false, error: { code: 'OUT_ERR_EXPRESSION', message: 'boom' } }).text).toBe('Preview error: boom');
  });
});
