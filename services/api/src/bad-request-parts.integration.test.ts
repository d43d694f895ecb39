/**
 * Bad request parts, property-based (fast-check), on every route of the table: random path parameters, query
 * strings and Authorization headers. Every answer is a 2xx, or a 4xx with an error code; never a 500; no prototype
 * pollution. Complements bad-input.integration.test.ts (bodies).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
let values: Record<string, string>;
beforeAll(async () => {
  h = await startApi();
  const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('target', 'm'));
  const { runId } = await h.api.runWorkflow(h.ws, wf.id);
  values = { ws: h.ws, id: wf.id, runId, collection: 'things', docId: (await h.api.insertDocument(h.ws, 'things', { v: 1 })).id, v: '1', triggerId: 'm', templateId: 'stripe-payments' };
});
afterAll(async () => {
  await h.close();
});

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const hostile = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '..', '../..', '%00', '-1', '0', '1e309', 'NaN', 'null', 'undefined', '[]', '{}', "' OR 1=1 --", '$where', '{"$gt":""}', 'a'.repeat(5000)),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);

/** Sends the request with `authorization` (the harness key by default; `null` sends none). */
async function expectWellFormed(method: string, path: string, authorization: string | null = `Bearer ${h.apiKey}`): Promise<number> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: method === 'get' || method === 'delete' ? null : '{}',
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  const context = `${method} ${path.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`;
  expect(res.status >= 200 && res.status < 500, context).toBe(true);
  // The MCP endpoint answers in JSON-RPC, as its protocol requires (`{jsonrpc, error: {code: -326xx}}`).
  if (res.status >= 400 && !path.includes('/events') && !path.endsWith('/mcp')) expect((JSON.parse(text) as { error: { code: string } }).error.code, context).toMatch(/^OUT_ERR_[A-Z_]+$/);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  return res.status;
}

describe('bad path parameters, query strings and credentials are 4xx, never 500 (fast-check)', () => {
  it('random path parameters on every route with parameters (destructive routes included)', async () => {
    const routes = h.app.routes.filter((r) => r.path.includes('/:') && !r.path.endsWith('/events'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.dictionary(fc.constantFrom('id', 'runId', 'collection', 'docId', 'v', 'triggerId', 'templateId', 'keyId', 'credentialId'), hostile), async (route, replaced) => {
        const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(name === 'ws' ? values.ws! : (replaced[name] ?? values[name] ?? 'x')));
        await expectWellFormed(route.method, path);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('random query strings on every list route', async () => {
    const lists = h.app.routes.filter((r) => r.method === 'get' && !r.path.endsWith('/events'));
    const key = fc.oneof(fc.constantFrom('limit', 'cursor', 'status', 'workflowId', 'from', 'to', 'filter', 'sort', 'q', 'archived', '__proto__', 'constructor', 'limit[]', 'filter[$where]'), fc.string({ maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), fc.array(fc.tuple(key, hostile), { maxLength: 5 }), async (route, pairs) => {
        const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
        await expectWellFormed('get', `${path}?${new URLSearchParams(pairs).toString()}`);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('random Authorization headers → 401 with a code', async () => {
    const value = fc.oneof(fc.string({ maxLength: 200 }), hostile.map((v) => `Bearer ${v}`), fc.constantFrom('Bearer', 'Bearer ', 'bearer  x', 'Basic x', `Bearer ${'a'.repeat(10_000)}`));
    await fc.assert(
      fc.asyncProperty(value.map((v) => v.replace(/[^\x21-\x7e ]/g, 'x').trim()), async (authorization) => {
        fc.pre(authorization !== `Bearer ${h.apiKey}`);
        const status = await expectWellFormed('get', `/api/workspaces/${h.ws}/workflows`, authorization === '' ? null : authorization);
        expect(status).toBe(401);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 15_000 },
    );
  });
});
