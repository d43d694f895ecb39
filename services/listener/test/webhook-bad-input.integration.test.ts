/**
 * Bad webhook input, property-based (fast-check) against a real listener (SQLite file, in-process queue): random
 * methods, bodies (bytes, broken and hostile JSON, forms), content types, signature and id headers and query
 * strings, on triggers of every auth mode. Every answer is a 2xx, or a 4xx with an error code; never a 500 or a
 * crash; no prototype pollution; and an accepted form body or query records exactly the pairs that were sent,
 * whatever their keys (`__proto__`, `constructor`, `toString`).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, startListener, type RunningListener } from './fixtures';

let temp: TempSqliteStore;
let running: RunningListener;
let ws: string;
const TRIGGERS = ['open', 'hmac', 'github', 'stripe', 'header', 'basic', 'small'] as const;

beforeAll(async () => {
  temp = await createTempSqliteStore();
  const { store } = temp;
  ws = (await store.workspaces.createWorkspace({ name: 'bad-input' })).id;
  const cred = async () => (await store.credentials.create(ws, { name: 'hook', type: 'webhook_secret', data: { secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] } })).id;
  await createWorkflow(store, ws, [
    // An explicit high rate limit: a default one (issue 19, finding 6) must not turn the properties into 429s.
    { id: 'open', type: 'webhook', config: { methods: ['POST', 'PUT', 'GET'], includeHeaders: ['x-anything', '__proto__', 'constructor'], rateLimit: { rps: 100_000, burst: 1_000_000 } } },
    { id: 'hmac', type: 'webhook', config: { auth: { type: 'hmac', credentialId: await cred() } } },
    { id: 'github', type: 'webhook', config: { auth: { type: 'github', credentialId: await cred() } } },
    { id: 'stripe', type: 'webhook', config: { auth: { type: 'stripe', credentialId: await cred() } } },
    { id: 'header', type: 'webhook', config: { auth: { type: 'header', headerName: 'X-Token', credentialId: await cred() } } },
    { id: 'basic', type: 'webhook', config: { auth: { type: 'basic', username: 'u', credentialId: await cred() } } },
    { id: 'small', type: 'webhook', config: { maxBodyBytes: 64 } },
  ] as never);
  running = await startListener({ store, queue: createMemoryQueue(), events: createMemoryEventBus() });
});
afterAll(async () => {
  await running?.close();
  await temp?.cleanup();
});

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'polluted'), fc.string({ minLength: 1, maxLength: 6 }));
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
})).value;
/** Header values fetch accepts: visible ASCII and spaces. */
const headerValue = fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x21-\x7e ]/g, 'x').trim());
const pairs = fc.array(fc.tuple(hostileKey, fc.string({ maxLength: 8 })), { maxLength: 6 });

/** The grouping a form or query must record: one value per key, repeated keys as an array, in order. */
function expectedForm(list: Array<[string, string]>): Record<string, unknown> {
  const grouped = new Map<string, string | string[]>();
  for (const [k, v] of list) {
    const existing = grouped.get(k);
    grouped.set(k, existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v]);
  }
  return Object.fromEntries(grouped);
}

const body = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.string({ maxLength: 100 }).map((s) => Buffer.from(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"x":${JSON.stringify(s)}}`)),
  fc.constantFrom('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":', '\u0000', '').map((s) => Buffer.from(s)),
);
const contentType = fc.oneof(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/vnd.x+json', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', ''), headerValue);
const headers = fc.dictionary(
  fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'idempotency-key', 'x-hub-signature-256', 'x-github-delivery', 'stripe-signature', 'x-token', 'authorization', 'x-anything', 'constructor'),
  headerValue,
  { maxKeys: 5 },
);

describe('bad webhook input is a 4xx with a code, never a 500 (fast-check)', () => {
  it('random methods, bodies, content types, headers and queries on every auth mode', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TRIGGERS), fc.constantFrom('POST', 'PUT', 'GET', 'DELETE', 'PATCH'), body, contentType, headers, pairs, async (trigger, method, raw, type, extra, query) => {
        const search = new URLSearchParams(query).toString();
        const started = Date.now();
        const res = await fetch(`${running.url}/webhook/${ws}/${trigger}${search ? `?${search}` : ''}`, {
          method,
          headers: { ...extra, ...(type ? { 'content-type': type } : {}) },
          body: method === 'GET' ? null : raw,
        });
        const text = await res.text();
        statuses.add(res.status);
        const context = `${method} ${trigger} ${type} → ${res.status} ${text.slice(0, 200)}`;
        expect(res.status >= 200 && res.status < 500, context).toBe(true);
        expect(Date.now() - started, context).toBeLessThan(5000);
        if (res.status >= 400) expect((JSON.parse(text) as { error: { code: string } }).error.code, context).toMatch(/^OUT_ERR_[A-Z_]+$/);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 250, interruptAfterTimeLimit: 25_000 },
    );
    for (const s of [202, 401, 405]) expect(statuses.has(s), [...statuses].join()).toBe(true);
  });

  it('a form body and a query string record exactly the pairs sent, whatever their keys', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, pairs, async (form, query) => {
        const search = new URLSearchParams(query).toString();
        const res = await fetch(`${running.url}/webhook/${ws}/open${search ? `?${search}` : ''}`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
        });
        expect(res.status).toBe(202);
        const { runId } = (await res.json()) as { runId: string };
        const run = await temp.store.runs.getRun(ws, runId);
        const payload = run!.triggeredBy.payload as { body: unknown; query: unknown };
        expect(payload.query).toEqual(expectedForm(query));
        expect(payload.body).toEqual(form.length === 0 ? null : expectedForm(form));
      }),
      { numRuns: 100, interruptAfterTimeLimit: 20_000 },
    );
  });
});
