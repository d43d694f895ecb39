/**
 * Bad input, property-based (fast-check) against the real gateway: workflow JSON (POST and PUT), cron strings and
 * time zones, and `{{ }}` expressions through the preview route. Every answer is a 2xx, or a 4xx with an error
 * `code` (and, for a validation error, the failing field's path); never a 500 or a crash; no prototype pollution;
 * each request answered within a bounded time. Expression DoS bounds belong to the engine's own tests (finding 2–3):
 * here the expression property asserts structure only.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
let workflowId: string;
beforeAll(async () => {
  h = await startApi({ previewRateLimit: false }); // the properties send far more previews than a person would
  workflowId = (await h.api.createWorkflow(h.ws, simpleWorkflow('target', 'm'))).id;
});
afterAll(async () => {
  await h.close();
});

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
/** Prototype pollution shows as a new or changed property on Object.prototype (the server runs in this process). */
function assertNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}

interface Answer { status: number; body: unknown; ms: number }

/** Statuses seen per property, so a generator that never reaches one side (all 400, or all 2xx) fails. */
const seen = new Set<number>();

async function send(method: string, path: string, rawBody: string): Promise<Answer> {
  const started = Date.now();
  const res = await h.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: rawBody });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a non-JSON answer fails the shape check below
  }
  seen.add(res.status);
  return { status: res.status, body, ms: Date.now() - started };
}

/** 2xx, or 4xx with `{error: {code, message}}` and, for OUT_ERR_VALIDATION, details naming the field. */
function assertWellFormed(answer: Answer, what: string, options: { timed?: boolean } = {}): void {
  const context = `${what} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
  expect(answer.status >= 200 && answer.status < 500, context).toBe(true);
  if (options.timed !== false) expect(answer.ms, context).toBeLessThan(5000);
  if (answer.status < 400) return;
  const error = (answer.body as { error?: { code?: unknown; message?: unknown; details?: Array<{ path?: unknown }> } }).error;
  expect(typeof error?.code, context).toBe('string');
  expect(error!.code as string, context).toMatch(/^OUT_ERR_[A-Z_]+$/);
  expect(typeof error?.message, context).toBe('string');
  if (error!.code === 'OUT_ERR_VALIDATION') {
    expect(error!.details?.length ?? 0, context).toBeGreaterThan(0);
    for (const d of error!.details!) expect(typeof d.path, context).toBe('string');
  }
}

/** Keys an attacker tries for prototype pollution, mixed into generated objects. */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'isAdmin', 'toString', 'hasOwnProperty', 'valueOf');
/** JSON values whose object keys are often hostile. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
})).value;

/** Raw JSON text that puts `__proto__` as an own key (JSON.stringify of a literal would drop it). */
const protoPayload = fc.record({ where: fc.constantFrom('', 'settings', 'nodes.0.data', 'triggers.0.config', 'nodes.0'), value: hostileJson });
function withProtoKey(base: Record<string, unknown>, where: string, value: unknown): string {
  const marker = '"__MARK__":0';
  const target = where === '' ? base : where.split('.').reduce<Record<string, unknown>>((o, k) => (o[k] ?? (o[k] = {})) as Record<string, unknown>, base);
  target.__MARK__ = 0;
  return JSON.stringify(base).replace(marker, `"__proto__":{"polluted":true,"isAdmin":true,"v":${JSON.stringify(value) ?? 'null'}}`);
}

/** A valid workflow with one field replaced by a random value (so validation is reached deep inside). */
const mutatedWorkflow = fc.record({
  path: fc.constantFrom('name', 'nodes', 'edges', 'triggers', 'settings', 'nodes.0', 'nodes.0.data', 'nodes.1.type', 'nodes.1.data.fields', 'edges.0.source', 'triggers.0', 'triggers.0.type', 'nodes.0.position', 'settings.retryPolicy', 'settings.concurrency', 'description'),
  value: hostileJson,
}).map(({ path, value }) => {
  const workflow = JSON.parse(JSON.stringify(simpleWorkflow('mutated', 'm'))) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  let target: Record<string, unknown> = workflow;
  for (const k of keys) target = (target[k] ?? (target[k] = {})) as Record<string, unknown>;
  target[last] = value;
  return JSON.stringify(workflow);
});

const RUNS = { numRuns: 120, interruptAfterTimeLimit: 20_000 } as const;

describe('bad input is a 4xx with a code, never a 500 (fast-check)', () => {
  it('workflow JSON on POST and PUT: random documents, mutated valid ones, __proto__ keys, broken JSON', async () => {
    const body = fc.oneof(
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      mutatedWorkflow,
      protoPayload.map(({ where, value }) => withProtoKey(JSON.parse(JSON.stringify(simpleWorkflow('proto', 'm'))) as Record<string, unknown>, where, value)),
      fc.string({ maxLength: 200 }),
    );
    seen.clear();
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('POST', 'PUT'), async (raw, method) => {
        const path = method === 'POST' ? `/api/workspaces/${h.ws}/workflows` : `/api/workspaces/${h.ws}/workflows/${workflowId}`;
        assertWellFormed(await send(method, path, raw), `${method} ${raw.slice(0, 200)}`);
        assertNoPollution();
      }),
      RUNS,
    );
    expect([...seen].filter((s) => s < 300).length, [...seen].join()).toBeGreaterThan(0);
    expect(seen.has(400), [...seen].join()).toBe(true);
    // the server still answers normally afterwards
    expect((await h.fetch('/healthz')).status).toBe(200);
  });

  it('schedule triggers: random cron strings and time zones are accepted or refused with the failing field', async () => {
    const token = fc.oneof(
      fc.constantFrom('*', '*/5', '0', '59', '60', '1-5', '5-1', '1,2,3', 'L', 'W', '?', 'MON', 'JAN', '*/0', '-1', '1/2', '99999999999999999999'),
      fc.string({ maxLength: 6 }),
    );
    const cron = fc.oneof(fc.array(token, { minLength: 0, maxLength: 8 }).map((t) => t.join(' ')), fc.string({ maxLength: 60 }));
    const timezone = fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+14', 'Mars/Olympus', 'utc', '', '../../etc/passwd', '+05:30'), fc.string({ maxLength: 40 }));
    seen.clear();
    // Trigger ids are unique per workspace: fresh ones, so no workflow created by another property holds them.
    const manual = `cron-manual-${Date.now()}`;
    await fc.assert(
      fc.asyncProperty(cron, timezone, async (c, tz) => {
        const workflow = { ...simpleWorkflow('cron', manual), triggers: [{ id: manual, type: 'manual' }, { id: `${manual}-s`, type: 'schedule', config: { cron: c, timezone: tz, catchUp: 'none' } }] };
        const answer = await send('PUT', `/api/workspaces/${h.ws}/workflows/${workflowId}`, JSON.stringify(workflow));
        assertWellFormed(answer, `cron ${JSON.stringify(c)} tz ${JSON.stringify(tz)}`);
        if (answer.status === 400) {
          const paths = (answer.body as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path);
          expect(paths.some((p) => /triggers\.1\.config\.(cron|timezone)|cron|timezone/.test(p)), `${c} / ${tz}: ${paths.join(', ')}`).toBe(true);
        }
      }),
      RUNS,
    );
    expect(seen.has(200) && seen.has(400), [...seen].join()).toBe(true);
  });

  it('expression preview: random templates and scopes answer 200 ({ok}) or a 4xx with a code', async () => {
    const fragment = fc.constantFrom('{{', '}}', '$', 'input', '.', '[', ']', '(', ')', '"', "'", '$string(', '$sum(', 'function($x){$x}', '~>', '&', '?', ':', '**', '%', '$$', '`', '\\', '/a/', '$lookup(', '__proto__', 'constructor', ' ');
    const template = fc.oneof(
      fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('')),
      fc.array(fragment, { maxLength: 20 }).map((parts) => `{{ ${parts.join('')} }}`),
      fc.string({ maxLength: 120 }),
    );
    const scope = fc.record({ input: hostileJson, trigger: hostileJson }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(template, scope, async (t, s) => {
        const answer = await send('POST', `/api/workspaces/${h.ws}/expressions/preview`, JSON.stringify({ template: t, scope: s }));
        assertWellFormed(answer, `template ${JSON.stringify(t)}`);
        if (answer.status === 200) expect(typeof (answer.body as { ok?: unknown }).ok).toBe('boolean');
        assertNoPollution();
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('expression preview: a template yielding a function is an expression error, not a 500', async () => {
    for (const template of ['{{ function($x){$x} }}', 'text {{ function($x){$x} }}', '{{ $uppercase }}']) {
      const answer = await send('POST', `/api/workspaces/${h.ws}/expressions/preview`, JSON.stringify({ template, scope: {} }));
      expect(answer.status, `${template} → ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body, template).toMatchObject({ ok: false, error: { code: 'OUT_ERR_EXPRESSION' } });
    }
    // Inside a value a function is dropped, as the engine's toJsonValue documents (a run records the same).
    const nested = await send('POST', `/api/workspaces/${h.ws}/expressions/preview`, JSON.stringify({ template: '{{ {"f": function(){1}, "n": 1} }}', scope: {} }));
    expect(nested.body).toEqual({ ok: true, value: { n: 1 } });
  });

  it('regexes: parser patterns and flags, condition `matches`, JSONata regex functions (structure only)', async () => {
    // Structure only: time bounds of regex evaluation (ReDoS) are the engine's own regression tests (finding 2).
    const regex = fc.oneof(
      fc.constantFrom('(a+)+$', '^(\\w+\\s?)*$', '[', '(?<n>x)', '(?<n>x)(?<n>y)', '\\', '*', 'a{2,1}', '(?=a)', '\\p{L}', '[[:alpha:]]', '(?i)a', '{{ input.x }}', ''),
      fc.string({ maxLength: 20 }),
    );
    const flags = fc.oneof(fc.constantFrom('g', 'gi', 'u', 'v', 'uv', 'gg', 'x', ''), fc.string({ maxLength: 4 }));
    const subject = fc.string({ maxLength: 12 });
    const saved = new Set<number>();
    seen.clear();
    await fc.assert(
      fc.asyncProperty(regex, flags, subject, async (pattern, flag, text) => {
        const workflow = {
          ...simpleWorkflow('regex', 'm'),
          nodes: [
            ...simpleWorkflow('regex', 'm').nodes,
            { id: 'parse', type: 'parser', position: { x: 400, y: 0 }, data: { format: 'regex', source: 'text', pattern, flags: flag } },
            { id: 'cond', type: 'condition', position: { x: 600, y: 0 }, data: { left: '{{ input.text }}', operator: 'matches', right: pattern } },
          ],
          edges: [...simpleWorkflow('regex', 'm').edges, { id: 'e2', source: 'set', target: 'parse' }, { id: 'e3', source: 'parse', target: 'cond' }],
        };
        const put = await send('PUT', `/api/workspaces/${h.ws}/workflows/${workflowId}`, JSON.stringify(workflow));
        assertWellFormed(put, `pattern ${JSON.stringify(pattern)} flags ${JSON.stringify(flag)}`);
        // Node parameters are checked as activation would: a bad pattern is a problem naming its field.
        const checked = await send('POST', `/api/workspaces/${h.ws}/workflows/validate`, JSON.stringify(workflow));
        assertWellFormed(checked, `validate ${JSON.stringify(pattern)} ${JSON.stringify(flag)}`);
        const problems = (checked.body as { problems?: Array<{ path: string }> }).problems ?? [];
        expect(problems.every((p) => typeof p.path === 'string' && p.path.length > 0)).toBe(true);
        saved.add(problems.length === 0 ? 200 : 422);
        const literal = `/${pattern.replace(/\//g, '\\/')}/${flag.replace(/[^im]/g, '')}`;
        const templates = [`{{ $match($t, ${literal}) }}`, `{{ $replace($t, ${literal}, "x") }}`, `{{ $split($t, ${literal}) }}`, `{{ $contains($t, ${literal}) }}`];
        for (const template of templates) {
          const answer = await send('POST', `/api/workspaces/${h.ws}/expressions/preview`, JSON.stringify({ template: template.replaceAll('$t', 'input.text'), scope: { input: { text } } }));
          assertWellFormed(answer, template, { timed: false });
          if (answer.status === 200) expect(typeof (answer.body as { ok?: unknown }).ok).toBe('boolean');
        }
        assertNoPollution();
      }),
      { numRuns: 80, interruptAfterTimeLimit: 20_000 },
    );
    expect(saved.has(200) && saved.has(422), 'some patterns valid, some with problems').toBe(true);
  });
});
