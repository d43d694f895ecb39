import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NodeDescription } from '@outrun/schemas';
import { builtinNodes, createNodeCatalog } from './catalog';
import { defineNode } from './define-node';
import { describeCatalog } from './describe-catalog';

const TYPES = ['trigger', 'http-request', 'transform', 'set', 'condition', 'switch', 'parser', 'delay', 'merge', 'respond', 'noop'];

describe('createNodeCatalog', () => {
  it('registers every built-in node type by name', () => {
    const catalog = createNodeCatalog();
    for (const type of TYPES) expect(catalog.get(type)?.type, type).toBe(type);
    expect(catalog.size).toBe(builtinNodes.length);
  });

  it('adds extra definitions and refuses duplicate types', () => {
    const extra = defineNode({
      type: 'custom-echo',
      label: 'Echo',
      description: 'test node',
      category: 'core',
      icon: 'circle',
      params: z.strictObject({}),
      inputs: [{ id: 'in' }],
      outputs: [{ id: 'out' }],
      execute: (ctx) => Promise.resolve({ output: ctx.input }),
    });
    expect(createNodeCatalog([extra]).get('custom-echo')).toBe(extra);
    expect(() => createNodeCatalog([{ ...extra, type: 'noop' }])).toThrow(/Duplicate node type in catalog: noop/);
  });

  it('gives every node complete metadata and described params (the editor builds forms from them)', () => {
    for (const node of builtinNodes) {
      expect(node.label.length, node.type).toBeGreaterThan(0);
      expect(node.description.length, node.type).toBeGreaterThan(10);
      expect(node.icon.length, node.type).toBeGreaterThan(0);
      const schema = z.toJSONSchema(node.params, { io: 'input' }) as { properties?: Record<string, { description?: string }>; additionalProperties?: unknown };
      expect(schema.additionalProperties, `${node.type} params must be strict`).toBe(false);
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, `${node.type}.${field} needs .describe()`).toBeTruthy();
      }
    }
  });
});

describe('describeCatalog', () => {
  const described = describeCatalog(createNodeCatalog());
  const byType = new Map(described.map((d) => [d.type, d]));

  it('matches the NodeDescription schema, in palette order', () => {
    expect(described.map((d) => d.type)).toEqual(builtinNodes.map((n) => n.type));
    expect(described.map((d) => d.type).slice(0, TYPES.length)).toEqual(TYPES);
    for (const d of described) expect(NodeDescription.safeParse(d).success, d.type).toBe(true);
    // JSON round-trip: it is what GET /api/nodes sends.
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
  });

  it('describes handles, dynamic outputs and merge behaviour', () => {
    expect(byType.get('trigger')).toMatchObject({ category: 'trigger', inputs: [], outputs: [{ id: 'out' }], dynamicOutputs: false });
    expect(byType.get('condition')?.outputs.map((h) => h.id)).toEqual(['true', 'false']);
    expect(byType.get('switch')).toMatchObject({ dynamicOutputs: true, outputs: [{ id: 'default', label: 'Default' }] });
    expect(byType.get('merge')?.waitsForAllInputs).toBe(true);
    expect(byType.get('noop')?.waitsForAllInputs).toBe(false);
  });

  it('emits input-side JSON Schema: defaulted fields optional, required ones required', () => {
    const http = byType.get('http-request')?.paramsSchema as { required?: string[]; properties: Record<string, { default?: unknown; enum?: unknown[] }> };
    expect(http.required).toEqual(['url']);
    expect(http.properties.method).toMatchObject({ default: 'GET', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] });
    expect(http.properties.timeout?.default).toBe(30_000);
  });
});
