import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';
import { toOpenApiPath } from './http/route';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown>; operationId?: string }>>; components: { schemas: Record<string, unknown> } };

/** Every [METHOD, path] Express actually serves (walks the router stacks). */
function mounted(router: Router): string[] {
  const out: string[] = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(router.stack);
  return out;
}

describe('GET /api/openapi.json', () => {
  it('documents every served route and nothing else', async () => {
    const doc = (await h.api.getOpenApi()) as unknown as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    const served = mounted((h.app as unknown as { router: Router }).router)
      .map((r) => r.replace(/ (.*)$/, (_m, p: string) => ` ${p === '/webhook/*rest' ? '/webhook/{workspaceId}/{triggerId}' : toOpenApiPath(p)}`))
      .filter((r) => !r.startsWith('_all'));
    const webhook = ['get', 'post', 'put', 'patch', 'delete'].map((m) => `${m} /webhook/{workspaceId}/{triggerId}`);
    expect(new Set(documented)).toEqual(new Set([...served.filter((r) => !r.includes('/webhook/')), ...webhook]));
    expect(documented.length).toBe(h.app.routes.length + webhook.length);
    for (const route of h.app.routes) expect(doc.paths[toOpenApiPath(route.path)]?.[route.method]?.responses).toBeDefined();
  });

  it('is a valid document: unique operation ids, every $ref resolves, path params declared', async () => {
    const doc = (await h.api.getOpenApi()) as unknown as Doc;
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const refs = new Set<string>();
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.add(v);
          else collect(v);
        }
      }
    };
    collect(doc);
    expect(refs.size).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops) as Array<{ parameters?: Array<{ name: string; in: string }> }>) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), path).toEqual([...names].sort());
      }
    }
    const create = doc.paths['/api/workspaces/{ws}/workflows']?.post as unknown as { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
    const schema = doc.components.schemas[create.requestBody.content['application/json']?.schema.$ref.split('/').pop() ?? ''] as { properties: Record<string, unknown>; additionalProperties: unknown };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'nodes', 'edges', 'triggers', 'settings']));
    expect(schema.additionalProperties).toBe(false);
  });
});
