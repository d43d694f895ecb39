/**
 * The code node's engine choice, measured: QuickJS (WebAssembly, `quickjs-emscripten-core` + the release-sync
 * variant) against a V8 isolate (`isolated-vm`, a native addon — not a dependency: point OUTRUN_BENCH_IVM_DIR at
 * a folder where it is installed and built, or its rows are skipped with the reason). Interleaved A/B, three
 * rounds, medians. Then the transpilers (sucrase vs typescript.transpileModule) and the whole path through the
 * worker pool.
 *   npm run bench:code [-- --quick]
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { transform } from 'sucrase';
import ts from 'typescript';
import { createCodeSandbox } from '../src/code/code-sandbox';
import { CODE_LIMIT_DEFAULTS } from '../src/code/limits';
import { runCodeInQuickJS } from '../src/code/run-quickjs';

const quick = process.argv.includes('--quick');
const ROUNDS = 3;
const SMALL_CALLS = quick ? 100 : 500;
const scope = { input: { items: Array.from({ length: 50 }, (_, i) => ({ sku: `s${i % 7}`, qty: i % 5, price: i })) }, trigger: { source: 'bench' }, steps: {} };
const SMALL = 'const out = {};\nfor (const it of input.items) out[it.sku] = (out[it.sku] || 0) + it.qty * it.price;\nreturn out;';
const HEAVY = 'let h = 0;\nfor (let i = 0; i < 3000000; i++) { h = (h * 31 + i) % 1000003; }\nreturn h;';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

interface Engine {
  name: string;
  /** Cold start: load/compile the engine (module or addon) once. */
  load(): Promise<number>;
  /** One call in a fresh context/isolate (what the node does per step), returning the JSON text. */
  call(source: string): Promise<unknown>;
  heapLimit(): Promise<string>;
  endlessLoop(): Promise<string>;
}

function quickjsEngine(): Engine {
  let mod: QuickJSWASMModule | undefined;
  const run = (source: string, limits = {}) => runCodeInQuickJS(mod as QuickJSWASMModule, { source, language: 'javascript', scope, limits: { ...CODE_LIMIT_DEFAULTS, timeoutMs: 10_000, ...limits } });
  return {
    name: 'QuickJS (WASM)',
    async load() {
      const t = performance.now();
      mod = await newQuickJSWASMModuleFromVariant(variant);
      return performance.now() - t;
    },
    call: (source) => {
      const r = run(source);
      if (!r.ok) throw new Error(r.message);
      return Promise.resolve(r.output);
    },
    heapLimit: () => {
      const r = run('return new Array(50000000).fill(0).length;', { memoryBytes: 32 << 20 });
      return Promise.resolve(r.ok ? 'NOT enforced' : `enforced (${r.kind}: ${r.message.slice(0, 50)})`);
    },
    endlessLoop: () => {
      const t = performance.now();
      const r = run('for (;;) { try { while (true) {} } catch (e) {} }', { timeoutMs: 200 });
      return Promise.resolve(`${r.ok ? 'NOT stopped' : r.kind} after ${(performance.now() - t).toFixed(0)} ms (limit 200), same thread goes on`);
    },
  };
}

interface IvmIsolate {
  createContext(): Promise<{ global: { set(k: string, v: unknown): Promise<void> }; evalClosure(code: string, args: unknown[], opts: object): Promise<unknown>; release(): void }>;
  dispose(): void;
}
type Ivm = { Isolate: new (o: { memoryLimit: number }) => IvmIsolate; ExternalCopy: new (v: unknown) => { copyInto(): unknown } };

function ivmEngine(dir: string | undefined): Engine | string {
  if (!dir) return 'skipped: set OUTRUN_BENCH_IVM_DIR to a folder with isolated-vm installed and built (not a dependency)';
  let ivm: Ivm;
  const call = async (source: string, memoryLimit = 64, timeout = 10_000) => {
    const isolate = new ivm.Isolate({ memoryLimit });
    try {
      const context = await isolate.createContext();
      const json = JSON.stringify(scope);
      const out = await context.evalClosure(`const s = JSON.parse($0); return JSON.stringify((function (input, trigger, steps) {\n${source}\n})(s.input, s.trigger, s.steps));`, [json], { timeout, result: { copy: true } });
      context.release();
      return JSON.parse(out as string) as unknown;
    } finally {
      isolate.dispose();
    }
  };
  return {
    name: 'isolated-vm (V8 isolate)',
    load() {
      const t = performance.now();
      ivm = createRequire(join(dir, 'package.json'))('isolated-vm') as Ivm;
      return Promise.resolve(performance.now() - t);
    },
    call: (source) => call(source),
    heapLimit: async () => {
      try {
        await call('const a = []; for (;;) a.push(new Array(100000).fill(a.length));', 32);
        return 'NOT enforced';
      } catch (err) {
        return `enforced (${(err as Error).message.slice(0, 50)})`;
      }
    },
    endlessLoop: async () => {
      const t = performance.now();
      try {
        await call('for (;;) { try { while (true) {} } catch (e) {} }', 64, 200);
        return 'NOT stopped';
      } catch (err) {
        return `${(err as Error).message.slice(0, 40)} after ${(performance.now() - t).toFixed(0)} ms (limit 200)`;
      }
    },
  };
}

async function perCall(engine: Engine, source: string, n: number): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await engine.call(source);
  const t = performance.now();
  for (let i = 0; i < n; i++) await engine.call(source);
  return ((performance.now() - t) * 1000) / n;
}

const engines: Engine[] = [quickjsEngine()];
const ivm = ivmEngine(process.env['OUTRUN_BENCH_IVM_DIR']);
if (typeof ivm === 'string') console.log(`isolated-vm: ${ivm}`);
else engines.push(ivm);

const results = new Map<string, { load: number[]; small: number[]; heavy: number[]; mem: number[] }>();
for (const e of engines) {
  const rssBefore = process.memoryUsage().rss;
  const load = await e.load();
  results.set(e.name, { load: [load], small: [], heavy: [], mem: [process.memoryUsage().rss - rssBefore] });
}
// V8 in this process, no boundary at all: the reference for the CPU-heavy snippet.
const native = new Function('input', 'trigger', 'steps', HEAVY) as (i: unknown, t: unknown, s: unknown) => unknown;
const nativeMs: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const e of round % 2 ? engines : [...engines].reverse()) {
    const r = results.get(e.name)!;
    r.small.push(await perCall(e, SMALL, SMALL_CALLS));
    const t = performance.now();
    await e.call(HEAVY);
    r.heavy.push(performance.now() - t);
  }
  const t = performance.now();
  native(scope.input, scope.trigger, scope.steps);
  nativeMs.push(performance.now() - t);
}

console.log(`\n${'engine'.padEnd(28)}${'load (once)'.padStart(13)}${'rss after load'.padStart(16)}${'small call'.padStart(14)}${'3M-iteration loop'.padStart(19)}`);
for (const e of engines) {
  const r = results.get(e.name)!;
  console.log(`${e.name.padEnd(28)}${`${median(r.load).toFixed(1)} ms`.padStart(13)}${mb(median(r.mem)).padStart(16)}${`${median(r.small).toFixed(0)} µs`.padStart(14)}${`${median(r.heavy).toFixed(0)} ms`.padStart(19)}`);
}
console.log(`${'V8 in-process (no boundary)'.padEnd(28)}${''.padStart(13)}${''.padStart(16)}${''.padStart(14)}${`${median(nativeMs).toFixed(0)} ms`.padStart(19)}`);
for (const e of engines) {
  console.log(`${e.name}: heap limit ${await e.heapLimit()}`);
  console.log(`${e.name}: endless loop ${await e.endlessLoop()}`);
}

// Transpilers on a 60-line TypeScript body.
const tsSource = Array.from({ length: 20 }, (_, i) => `interface Row${i} { id: number; name: string }\nconst rows${i}: Row${i}[] = (input.items as Row${i}[]).filter((r) => r.id > ${i});\nconsole.log(rows${i}.length as number);`).join('\n');
const transpilers: Array<[string, () => void]> = [
  ['sucrase', () => transform(`async function f() {\n${tsSource}\n}`, { transforms: ['typescript'], disableESTransforms: true })],
  ['typescript.transpileModule', () => ts.transpileModule(`async function f() {\n${tsSource}\n}`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } })],
];
const transpileUs = new Map<string, number[]>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, fn] of round % 2 ? transpilers : [...transpilers].reverse()) {
    for (let i = 0; i < 20; i++) fn();
    const n = quick ? 50 : 200;
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    transpileUs.set(name, [...(transpileUs.get(name) ?? []), ((performance.now() - t) * 1000) / n]);
  }
}
for (const [name, us] of transpileUs) console.log(`transpile 60-line TS, ${name.padEnd(28)} ${median(us).toFixed(0).padStart(7)} µs`);

// The whole path the node takes: worker pool (structured clone) + fresh QuickJS runtime + transpile.
const sandbox = createCodeSandbox({ workers: 1 });
let t = performance.now();
await sandbox.run('return 1', 'javascript', scope);
console.log(`\nsandbox worker start-up (first call: thread, tsx, QuickJS module) ${(performance.now() - t).toFixed(0)} ms`);
const sandboxUs: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  t = performance.now();
  for (let i = 0; i < SMALL_CALLS; i++) await sandbox.run(SMALL, 'javascript', scope);
  sandboxUs.push(((performance.now() - t) * 1000) / SMALL_CALLS);
}
console.log(`sandbox small call, whole path (median of ${ROUNDS}) ${median(sandboxUs).toFixed(0)} µs`);
await sandbox.close();
