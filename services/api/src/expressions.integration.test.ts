import type { OutrunApiError } from '@outrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi({ previewRateLimit: false });
});
afterAll(async () => {
  await h.close();
});

const scope = {
  input: { body: { name: 'Ada', items: [{ price: 2 }, { price: 5 }] } },
  trigger: { source: 'stripe' },
  steps: { score: { value: 14 } },
};

describe('POST /api/workspaces/:ws/expressions/preview', () => {
  it('evaluates JSONata with the engine: raw value for a single template, text when mixed, nothing for a missing path', async () => {
    expect(await h.api.previewExpression(h.ws, { template: '{{ $uppercase(input.body.name) }}', scope })).toEqual({ ok: true, value: 'ADA' });
    expect(await h.api.previewExpression(h.ws, { template: '{{ $sum(input.body.items.price) * steps.score.value }}', scope })).toEqual({ ok: true, value: 98 });
    expect(await h.api.previewExpression(h.ws, { template: '{{ input.body.items[price > 1] }}', scope })).toEqual({ ok: true, value: [{ price: 2 }, { price: 5 }] });
    expect(await h.api.previewExpression(h.ws, { template: 'from {{ trigger.source }}: {{ steps.score }}', scope })).toEqual({ ok: true, value: 'from stripe: {"value":14}' });
    expect(await h.api.previewExpression(h.ws, { template: '{{ input.body.missing }}', scope })).toEqual({ ok: true });
    expect(await h.api.previewExpression(h.ws, { template: 'plain text', scope: {} })).toEqual({ ok: true, value: 'plain text' });
  });

  it('answers 200 ok:false with OUT_ERR_EXPRESSION and the position in the template', async () => {
    const syntax = await h.api.previewExpression(h.ws, { template: 'x {{ input.body.name + }}', scope });
    expect(syntax).toMatchObject({ ok: false, error: { code: 'OUT_ERR_EXPRESSION', message: expect.stringContaining('input.body.name +') as unknown } });
    if (syntax.ok) throw new Error('expected an error');
    // the position points into the template (after the `{{`), not into the bare expression
    expect(syntax.error.position).toBeGreaterThan(4);
    expect(syntax.error.position).toBeLessThanOrEqual('x {{ input.body.name + }}'.length);
    const runtime = await h.api.previewExpression(h.ws, { template: '{{ $number("abc") }}', scope });
    expect(runtime).toMatchObject({ ok: false, error: { code: 'OUT_ERR_EXPRESSION' } });
    // a runaway expression is cut off by the engine's per-evaluation limits instead of hanging the gateway
    const runaway = await h.api.previewExpression(h.ws, { template: '{{ ($f := function($n) { $f($n + 1) }; $f(0)) }}', scope: {} });
    expect(runaway).toMatchObject({ ok: false, error: { code: 'OUT_ERR_EXPRESSION' } });
  });

  it('validates the body strictly (400 OUT_ERR_VALIDATION with paths)', async () => {
    const post = (body: unknown) =>
      h.fetch(`/api/workspaces/${h.ws}/expressions/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const cases: Array<[unknown, string]> = [
      [{ scope: {} }, 'body.template'],
      [{ template: 'x'.repeat(10_001), scope: {} }, 'body.template'],
      [{ template: Array.from({ length: 11 }, (_, i) => `{{ ${i} }}`).join(' '), scope: {} }, 'body.template'],
      [{ template: '{{ 1 }}', scope: { extra: 1 } }, 'body.scope.extra'],
      [{ template: '{{ 1 }}', scope: {}, more: true }, 'body.more'],
      [{ template: '{{ 1 }}', scope: { steps: [] } }, 'body.scope.steps'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const error = ((await res.json()) as { error: { code: string; details: Array<{ path: string }> } }).error;
      expect(error.code).toBe('OUT_ERR_VALIDATION');
      expect(error.details.map((d) => d.path)).toContain(path);
    }
  });

  it('answers 404 for a workspace of another key and 401 without one', async () => {
    const other = await h.newWorkspace('other');
    const err = (await h.api.previewExpression(other.ws, { template: '{{ 1 }}', scope: {} }).catch((e: unknown) => e)) as OutrunApiError;
    expect(err).toMatchObject({ status: 404, code: 'OUT_ERR_NOT_FOUND' });
    const anonymous = await h.fetch(`/api/workspaces/${h.ws}/expressions/preview`, { method: 'POST', apiKey: null, headers: { 'content-type': 'application/json' }, body: '{"template":"{{1}}","scope":{}}' });
    expect(anonymous.status).toBe(401);
    expect(await other.api.previewExpression(other.ws, { template: '{{ 1 + 1 }}', scope: {} })).toEqual({ ok: true, value: 2 });
  });
});

/** Polls `/healthz` every 20 ms while `attack` runs; returns the slowest answer (ms). */
async function slowestHealthz(attack: () => Promise<unknown>): Promise<number> {
  let slowest = 0;
  let done = false;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await h.fetch('/healthz', { apiKey: null });
      await res.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    await attack();
  } finally {
    done = true;
    await poll;
  }
  return slowest;
}

describe('expression preview under attack (issue 19 findings 2 and 3)', () => {
  const words = 'a'.repeat(25) + '!';
  const as = 'a'.repeat(27) + '!';
  const cases: Array<[string, string, Record<string, string>, RegExp | null]> = [
    ['ReDoS (\\w+\\s?)*', '{{ $contains(input.body, /^(\\w+\\s?)*$/) }}', { body: words }, null],
    ['ReDoS (a+)+ with $match', '{{ $exists($match(input.body, /^(a+)+$/)) }}', { body: as }, null],
    ['$pad("", 50000000)', '{{ $pad("", 50000000) }}', {}, /\$pad to 50000000 characters/],
    ['$length($pad("", 30000000))', '{{ $length($pad("", 30000000)) }}', {}, /\$pad to 30000000 characters/],
    ['a one-second loop', '{{ $count($map([1..1000000], function($v) { $string($v) & $string($v) })) }}', {}, /timeout|allocated more than/],
  ];

  it.each(cases)('%s: answers fast with a clear result while /healthz stays under 200 ms and the heap stays flat', async (_name, template, input, error) => {
    await h.api.previewExpression(h.ws, { template: '{{ 1 }}', scope: {} }); // sandbox worker warm
    const heapBefore = process.memoryUsage().heapUsed;
    let answer: Awaited<ReturnType<ApiHarness['api']['previewExpression']>> | undefined;
    const slowest = await slowestHealthz(async () => {
      answer = await h.api.previewExpression(h.ws, { template, scope: { input } });
    });
    expect(slowest).toBeLessThan(200);
    if (error === null) expect(answer).toEqual({ ok: true, value: false });
    else {
      expect(answer).toMatchObject({ ok: false, error: { code: 'OUT_ERR_EXPRESSION' } });
      expect(answer?.ok === false ? answer.error.message : '').toMatch(error);
    }
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('has its own, tighter per-key rate limit (429 OUT_ERR_RATE_LIMITED with Retry-After) that leaves other routes alone', async () => {
    // a refill of one per 100 s: a slow cold start of the sandbox cannot refill the bucket within the test
    const limited = await startApi({ previewRateLimit: { rps: 0.01, burst: 2 } });
    try {
      const preview = () =>
        limited.fetch(`/api/workspaces/${limited.ws}/expressions/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"template":"{{ 1 }}","scope":{}}' });
      expect((await preview()).status).toBe(200);
      expect((await preview()).status).toBe(200);
      const refused = await preview();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_RATE_LIMITED');
      expect((await limited.fetch(`/api/workspaces/${limited.ws}/workflows`)).status).toBe(200);
      // another key has its own bucket
      const other = await limited.newWorkspace('other');
      await expect(other.api.previewExpression(other.ws, { template: '{{ 2 }}', scope: {} })).resolves.toEqual({ ok: true, value: 2 });
    } finally {
      await limited.close();
    }
  });

  it('lets one key evaluate at most 2 previews at once, so it cannot hold the shared sandbox', async () => {
    const slow = { template: '{{ $count($map([1..1000000], function($v) { $string($v) & $string($v) })) }}', scope: {} };
    const post = (key?: string) =>
      h.fetch(`/api/workspaces/${h.ws}/expressions/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slow), ...(key ? { apiKey: key } : {}) });
    await h.api.previewExpression(h.ws, { template: '{{ 1 }}', scope: {} }); // a worker warm
    const first = [post(), post()];
    await new Promise((r) => setTimeout(r, 300)); // both are evaluating (each holds its worker for ~1 s)
    const third = await post();
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'OUT_ERR_RATE_LIMITED', message: expect.stringMatching(/at once/) as unknown });
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post()).status).toBe(200); // free again
  });
});
