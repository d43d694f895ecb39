import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { createCodeSandbox } from './code-sandbox';

// One sandbox for the file (like a runner process): every hostile case must leave it able to run the next call.
const sandbox = createCodeSandbox({ workers: 1, limits: { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024, maxOutputChars: 100_000 } });
afterAll(() => sandbox.close());

const scope = { input: { items: [{ sku: 'a', price: 2, qty: 3 }, { sku: 'b', price: 5, qty: 1 }] }, trigger: { source: 'test' }, steps: { fetch: { ok: true } } };
const js = (source: string) => sandbox.run(source, 'javascript', scope);
const failure = async (promise: Promise<unknown>) => {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err, 'expected the call to fail').toBeInstanceOf(NonRetriableError);
  return err as NonRetriableError;
};
/** The health check after each attack: a plain call in the same sandbox works. */
async function healthy() {
  await expect(js('return input.items.length + 1')).resolves.toEqual({ output: 3, logs: [] });
}

describe('code sandbox: results', { timeout: 20_000 }, () => {
  it('sees input, trigger and steps and returns JSON', async () => {
    const { output } = await js('const total = helpers.sum(input.items.map((i) => i.price * i.qty));\nreturn { total, source: trigger.source, ok: steps.fetch.ok };');
    expect(output).toEqual({ total: 11, source: 'test', ok: true });
  });

  it('runs TypeScript (types stripped) and the helpers', async () => {
    const source = 'interface Item { sku: string; price: number }\nconst items: Item[] = input.items;\nreturn { bySku: helpers.keyBy(items, "sku"), chunks: helpers.chunk([1, 2, 3], 2), picked: helpers.pick(items[0], ["sku"]) } as const;';
    const { output } = await sandbox.run(source, 'typescript', scope);
    expect(output).toMatchObject({ chunks: [[1, 2], [3]], picked: { sku: 'a' }, bySku: { b: { price: 5 } } });
  });

  it('awaits promises and returns console lines', async () => {
    const { output, logs } = await js('console.log("items", input.items.length);\nconst v = await Promise.all([1, 2].map(async (n) => n * 10));\nreturn v;');
    expect(output).toEqual([10, 20]);
    expect(logs).toEqual([['info', 'items 2']]);
  });

  it('returns null for undefined', async () => {
    expect((await js('const x = 1;')).output).toBeNull();
  });
});

describe('code sandbox: hostile code', { timeout: 20_000 }, () => {
  it('stops an infinite loop (even one that catches) with OUT_ERR_CODE_TIMEOUT', async () => {
    const started = Date.now();
    // The caller's event loop stays free meanwhile: a 10 ms interval keeps ticking while the loop runs.
    let ticks = 0;
    const interval = setInterval(() => ticks++, 10);
    const err = await failure(js('for (;;) { try { while (true) {} } catch (e) { } }')).finally(() => clearInterval(interval));
    expect(err.code).toBe(ErrorCode.CODE_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ticks).toBeGreaterThan(20);
    await healthy();
  });

  it('keeps the console lines of a call stopped by its time limit; a hostile error getter stays bounded', async () => {
    const lines: unknown[] = [];
    const err = await failure(sandbox.run('console.log("started", input.items.length);\nfor (;;) {}', 'javascript', scope, (line) => lines.push(line)));
    expect(err.code).toBe(ErrorCode.CODE_TIMEOUT);
    expect(lines).toEqual([['info', 'started 2']]);
    const evil = await failure(js('throw { get message() { for (;;) {} }, name: "Evil" };'));
    expect([ErrorCode.CODE_FAILED, ErrorCode.CODE_TIMEOUT]).toContain(evil.code);
    await healthy();
  });

  it('stops an async loop and reports a never-settling await', async () => {
    expect((await failure(js('while (true) { await null; }'))).code).toBe(ErrorCode.CODE_TIMEOUT);
    const never = await failure(js('await new Promise(() => {}); return 1;'));
    expect(never.code).toBe(ErrorCode.CODE_FAILED);
    expect(never.message).toMatch(/never settles/);
    await healthy();
  });

  it('stops an allocation bomb at the memory limit with OUT_ERR_CODE_MEMORY', async () => {
    const err = await failure(js('return "x".repeat(100000000).length;'));
    expect(err.code, err.message).toBe(ErrorCode.CODE_MEMORY);
    expect(err.message).toMatch(/32 MB/);
    // Growing arrays: near the limit QuickJS collects garbage on each allocation (slow on a loaded machine, so the
    // backstop may win). Either way the worker whose WebAssembly memory grew to the limit is replaced, not reused.
    const spawnedBefore = sandbox.spawned;
    expect([ErrorCode.CODE_MEMORY, ErrorCode.CODE_TIMEOUT]).toContain((await failure(js('return new Array(10000000).fill(1).length;'))).code);
    await healthy();
    expect(sandbox.spawned).toBe(spawnedBefore + 1);
    const strings = await failure(js('const a = []; for (let i = 0; ; i++) a.push(JSON.stringify({ i, pad: new Array(2000).fill(i) }));'));
    expect([ErrorCode.CODE_MEMORY, ErrorCode.CODE_TIMEOUT]).toContain(strings.code);
    // binary buffers would grow WebAssembly memory outside the runtime's limit: they are not there
    expect((await js('return [typeof ArrayBuffer, typeof Uint8Array, typeof SharedArrayBuffer, typeof Atomics];')).output).toEqual(Array(4).fill('undefined'));
    await healthy();
  });

  it('a bomb that thrashes the engine inside one built-in is stopped by the worker backstop', async () => {
    // Near the heap limit QuickJS garbage-collects on each allocation inside `fill` (native, no interrupt poll):
    // the engine's own deadline cannot fire, so the pool terminates the worker (timeout + 2 s) and starts another.
    const before = sandbox.spawned;
    const err = await failure(js('const a = []; for (;;) a.push(new Array(100000).fill(a.length));'));
    expect([ErrorCode.CODE_MEMORY, ErrorCode.CODE_TIMEOUT]).toContain(err.code);
    await healthy();
    expect(sandbox.spawned).toBeGreaterThanOrEqual(before);
  });

  it('has no process, require, module loading, network or timers', async () => {
    const out = await js('return [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof XMLHttpRequest, typeof Deno, typeof module, typeof globalThis.os, typeof globalThis.std];');
    expect(out.output).toEqual(Array(9).fill('undefined'));
    for (const attack of ['process.exit(1)', 'require("fs")', 'globalThis.constructor.constructor("return process")().exit(1)', 'Function("return this")().process.env']) {
      const err = await failure(js(attack));
      expect(err.code, attack).toBe(ErrorCode.CODE_FAILED);
      expect(err.message, attack).toMatch(/not defined|undefined|cannot read/i);
    }
    const imported = await failure(js('const fs = await import("fs"); return fs;'));
    expect(imported.code).toBe(ErrorCode.CODE_FAILED);
    expect((await failure(js('import fs from "fs";'))).code).toBe(ErrorCode.CODE_SYNTAX);
    await healthy();
  });

  it('keeps prototype tricks inside one call', async () => {
    await js('Object.prototype.polluted = "yes"; Array.prototype.map = () => "hijacked"; globalThis.leak = 1; return 1;');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const next = await js('return [({}).polluted ?? null, typeof globalThis.leak, [1].map((x) => x)];');
    expect(next.output).toEqual([null, 'undefined', [1]]);
    // a __proto__ key in the data is data, not a prototype
    const proto = await sandbox.run('return { admin: input.isAdmin ?? null, keys: Object.keys(input) };', 'javascript', { input: JSON.parse('{"__proto__": {"isAdmin": true}}') as unknown, trigger: null, steps: {} });
    expect(proto.output).toMatchObject({ admin: null });
    await healthy();
  });

  it('refuses huge, cyclic, BigInt and too-deep outputs with OUT_ERR_CODE_OUTPUT', async () => {
    expect((await failure(js('return "x".repeat(200000);'))).code).toBe(ErrorCode.CODE_OUTPUT);
    expect((await failure(js('const a = {}; a.self = a; return a;'))).code).toBe(ErrorCode.CODE_OUTPUT);
    expect((await failure(js('return { n: 10n };'))).code).toBe(ErrorCode.CODE_OUTPUT);
    expect((await failure(js('let v = 1; for (let i = 0; i < 1000; i++) v = [v]; return v;'))).code).toBe(ErrorCode.CODE_OUTPUT);
    await healthy();
  });

  it('survives runaway recursion', async () => {
    const err = await failure(js('function f(n) { return f(n + 1) + 1; }\nreturn f(0);'));
    expect(err.code).toBe(ErrorCode.CODE_FAILED);
    expect(err.message).toMatch(/stack overflow|recursed/i);
    await healthy();
  });
});

describe('code sandbox: errors point at the user\'s lines', () => {
  it('maps a thrown error\'s stack to lines of the JavaScript', async () => {
    const err = await failure(js('const a = 1;\nfunction check(x) {\n  if (x) throw new Error("bad item " + x);\n}\ncheck(a);'));
    expect(err.code).toBe(ErrorCode.CODE_FAILED);
    expect(err.message).toBe('Error: bad item 1 (line 3)');
    expect(err.details[0]?.message).toMatch(/at check \(line 3:\d+\)\n.*\(line 5:\d+\)/);
    expect(err.details[0]).toMatchObject({ path: 'data.code', code: 'line:3' });
  });

  it('maps TypeScript lines too (types stripped in place)', async () => {
    const source = 'type Row = { n: number };\nconst rows: Row[] = [{ n: 1 }];\n\nconst bad = (rows as any).missing.deeper;\nreturn bad;';
    const err = await failure(sandbox.run(source, 'typescript', scope));
    expect(err.message).toMatch(/TypeError: .*\(line 4\)$/);
  });

  it('reports syntax errors with line and column, in JS and TS', async () => {
    const js1 = await failure(js('const a = 1;\nreturn a +;'));
    expect(js1.code).toBe(ErrorCode.CODE_SYNTAX);
    expect(js1.message).toMatch(/line 2:\d+/);
    const ts = await failure(sandbox.run('let n: number = 1;\nlet m: = 2;', 'typescript', scope));
    expect(ts.code).toBe(ErrorCode.CODE_SYNTAX);
    expect(ts.message).toMatch(/line 2:/);
    await healthy();
  });
});

describe('code sandbox: warm start', { timeout: 60_000 }, () => {
  it('warm(n) starts n workers before any call, and the first calls use them (no further start)', async () => {
    const warm = createCodeSandbox({ workers: 3 });
    try {
      expect(warm.spawned).toBe(0);
      warm.warm(2);
      expect(warm.spawned).toBe(2);
      warm.warm(2); // idempotent: the slots are taken
      expect(warm.spawned).toBe(2);
      const [a, b] = await Promise.all([warm.run('return 1', 'javascript', scope), warm.run('return 2', 'javascript', scope)]);
      expect([a.output, b.output]).toEqual([1, 2]);
      expect(warm.spawned).toBe(2);
    } finally {
      await warm.close();
    }
  });
});
