/**
 * One call of user code in a fresh QuickJS runtime (WebAssembly): its own heap with a byte limit, its own
 * stack limit, an interrupt handler that stops it at the deadline (uncatchable by the code, and it also stops
 * `await` chains, which run as QuickJS jobs here), no host functions at all — only strings cross (scope JSON in,
 * result JSON out). A runtime is never reused, so nothing leaks from one call (or workspace) to the next.
 */
import { DefaultIntrinsics, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { CODE_FUNCTION, transpileCode, WRAPPER_LINES, type CodeLanguage } from './transpile';
import { MAX_OUTPUT_DEPTH, type CodeLimits } from './limits';
import { PRELUDE, PRELUDE_FILE } from './prelude';

const USER_FILE = 'code.js';
/** Time to read a failed call's error and console lines after its own deadline. */
const READOUT_MS = 100;

export interface CodeScope {
  input: unknown;
  trigger: unknown;
  steps: Record<string, unknown>;
}

export interface CodeRequest {
  source: string;
  language: CodeLanguage;
  scope: CodeScope;
  limits: CodeLimits;
}

export type CodeLogLine = [level: 'debug' | 'info' | 'warn' | 'error', line: string];

/** Why a call failed: the code's own error or syntax, or one of the limits (`crashed`: the engine itself broke). */
export type CodeFailureKind = 'syntax' | 'thrown' | 'timeout' | 'memory' | 'output' | 'crashed';

export type CodeOutcome =
  | { ok: true; output: unknown; logs: CodeLogLine[] }
  | { ok: false; kind: CodeFailureKind; message: string; line?: number; stack?: string; logs: CodeLogLine[] };

interface GuestError {
  name?: string;
  message?: string;
  stack?: string;
}

/** `    at fn (code.js:4:9)` → `    at fn (line 3:9)` (user lines); frames of the helpers file are dropped. */
export function mapStack(stack: string, language: CodeLanguage): { stack: string; line: number | undefined } {
  let first: number | undefined;
  const lines: string[] = [];
  for (const raw of stack.split('\n')) {
    const m = /^(\s*at .*?)\(?code\.js:(\d+)(?::(\d+))?\)?$/.exec(raw);
    if (m) {
      const line = Math.max(1, Number(m[2]) - WRAPPER_LINES);
      first ??= line;
      const name = (m[1] ?? '').replace(/\s+$/, '').replace(`at ${CODE_FUNCTION}`, 'at <your code>');
      // sucrase keeps lines, not columns: a TypeScript column would point at the wrong place.
      lines.push(`${name} (line ${line}${language === 'javascript' && m[3] ? `:${m[3]}` : ''})`);
    }
  }
  return { stack: lines.join('\n'), line: first };
}

/** Largest nesting of a JSON value, iteratively (a hostile depth must not overflow this either). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_OUTPUT_DEPTH) return max;
    for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return max;
}

function readLogs(ctx: QuickJSContext): CodeLogLine[] {
  const result = ctx.evalCode('__outrun.logs()', PRELUDE_FILE);
  if (result.error) {
    result.error.dispose();
    return [];
  }
  const json = ctx.getString(result.value);
  result.value.dispose();
  return JSON.parse(json) as CodeLogLine[];
}

/** Runs `request` to completion or to one of its limits; never throws for anything the user's code does. */
export function runCodeInQuickJS(module: QuickJSWASMModule, request: CodeRequest): CodeOutcome {
  const transpiled = transpileCode(request.source, request.language);
  if (!transpiled.ok) {
    const { message, line, column } = transpiled.error;
    return { ok: false, kind: 'syntax', message: `SyntaxError: ${message} (line ${line}:${column})`, line, logs: [] };
  }
  const { limits } = request;
  const runtime: QuickJSRuntime = module.newRuntime();
  let deadline = Date.now() + limits.timeoutMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => (timedOut = Date.now() >= deadline));
  runtime.setMaxStackSize(limits.stackBytes);
  runtime.setMemoryLimit(limits.memoryBytes);
  // No typed arrays at all: their storage is not counted against the memory limit (see prelude.ts).
  const ctx = runtime.newContext({ intrinsics: { ...DefaultIntrinsics, TypedArrays: false } });
  const handles: QuickJSHandle[] = [];
  const keep = (h: QuickJSHandle): QuickJSHandle => (handles.push(h), h);
  let logs: CodeLogLine[] = [];

  const failure = (errorHandle: QuickJSHandle): CodeOutcome => {
    runtime.setMemoryLimit(-1); // room to read the error of an out-of-memory call
    // A short, fresh deadline to read the error and the console lines (a hostile error's getters stay bounded).
    const stopped = timedOut;
    deadline = Date.now() + READOUT_MS;
    timedOut = false;
    const err = ctx.dump(keep(errorHandle)) as GuestError | string;
    logs = readLogs(ctx);
    const e: GuestError = typeof err === 'object' && err !== null ? err : { name: 'Error', message: String(err) };
    if (e.name === 'InternalError' && e.message === 'out of memory') {
      return { ok: false, kind: 'memory', message: `The code used more than its ${Math.round(limits.memoryBytes / 1048576)} MB memory limit and was stopped.`, logs };
    }
    if (stopped) return { ok: false, kind: 'timeout', message: `The code ran longer than its ${limits.timeoutMs} ms limit and was stopped.`, logs };
    const mapped = mapStack(e.stack ?? '', request.language);
    const where = mapped.line === undefined ? '' : ` (line ${mapped.line})`;
    return { ok: false, kind: 'thrown', message: `${e.name ?? 'Error'}: ${e.message ?? ''}${where}`, ...(mapped.line === undefined ? {} : { line: mapped.line }), ...(mapped.stack ? { stack: mapped.stack } : {}), logs };
  };

  try {
    const prelude = ctx.evalCode(PRELUDE, PRELUDE_FILE);
    if (prelude.error) return failure(prelude.error);
    keep(prelude.value);
    const compiled = ctx.evalCode(`${transpiled.js};${CODE_FUNCTION}`, USER_FILE, { strict: true });
    if (compiled.error) {
      const outcome = failure(compiled.error);
      return outcome.ok || outcome.kind !== 'thrown' ? outcome : { ...outcome, kind: 'syntax' };
    }
    const fn = keep(compiled.value);
    const api = keep(ctx.getProp(ctx.global, '__outrun'));
    const json = keep(ctx.getProp(ctx.global, 'JSON'));
    const parse = keep(ctx.getProp(json, 'parse'));
    const parsed = ctx.callFunction(parse, json, keep(ctx.newString(JSON.stringify(request.scope))));
    if (parsed.error) return failure(parsed.error);
    const scope = keep(parsed.value);
    const args = [keep(ctx.getProp(scope, 'input')), keep(ctx.getProp(scope, 'trigger')), keep(ctx.getProp(scope, 'steps')), keep(ctx.getProp(api, 'helpers')), keep(ctx.getProp(api, 'console'))];
    const called = ctx.callFunction(fn, ctx.undefined, ...args);
    if (called.error) return failure(called.error);
    const promise = keep(called.value);
    // No host async functions exist, so every pending promise settles through QuickJS jobs or never.
    for (;;) {
      const state = ctx.getPromiseState(promise);
      if (state.type === 'rejected') return failure(state.error);
      if (state.type === 'fulfilled') {
        keep(state.value);
        const serialize = keep(ctx.getProp(api, 'serialize'));
        const serialized = ctx.callFunction(serialize, ctx.undefined, state.value);
        if (serialized.error) {
          const outcome = failure(serialized.error);
          return outcome.ok || outcome.kind !== 'thrown' ? outcome : { ...outcome, kind: 'output', message: `The result is not JSON: ${outcome.message}` };
        }
        const text = keep(serialized.value);
        const length = ctx.getNumber(keep(ctx.getProp(text, 'length')));
        logs = readLogs(ctx);
        if (length > limits.maxOutputChars) {
          return { ok: false, kind: 'output', message: `The result is ${length} characters of JSON, over the ${limits.maxOutputChars} limit.`, logs };
        }
        const output: unknown = JSON.parse(ctx.getString(text));
        if (depthOf(output) > MAX_OUTPUT_DEPTH) return { ok: false, kind: 'output', message: `The result is nested deeper than ${MAX_OUTPUT_DEPTH} levels.`, logs };
        return { ok: true, output, logs };
      }
      if (!runtime.hasPendingJob()) {
        runtime.setMemoryLimit(-1);
        logs = readLogs(ctx);
        if (timedOut) return { ok: false, kind: 'timeout', message: `The code ran longer than its ${limits.timeoutMs} ms limit and was stopped.`, logs };
        return { ok: false, kind: 'thrown', message: 'The code awaited a promise that never settles (there are no timers or I/O in the code node).', logs };
      }
      const jobs = runtime.executePendingJobs();
      if (jobs.error) return failure(jobs.error);
    }
  } finally {
    for (const h of handles.reverse()) if (h.alive) h.dispose();
    ctx.dispose();
    runtime.dispose();
  }
}
