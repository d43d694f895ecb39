/**
 * The host side of the `code` node: user code runs in QuickJS (WebAssembly) inside the sandbox's worker pool,
 * so it is off the caller's event loop, inside a WebAssembly memory of its own with a byte limit and an
 * interrupt deadline — and, as a backstop, a worker `terminate()` if the engine ever failed to stop.
 * Failures come back as `NonRetriableError`s with an `OUT_ERR_CODE*` code (a retry would fail the same way).
 */
import { ErrorCode, NonRetriableError, OperationalError } from '@outrun/schemas';
import { createWorkerPool, SandboxError } from '../worker-pool';
import { CODE_LIMIT_DEFAULTS, type CodeLimits } from './limits';
import type { CodeLanguage } from './transpile';
import type { CodeFailureKind, CodeLogLine, CodeOutcome, CodeScope } from './run-quickjs';

export interface CodeSandboxOptions {
  /** Worker threads (calls running at once). @default 2 */
  workers?: number;
  limits?: Partial<CodeLimits>;
  /** Calls waiting for a worker before new ones are refused (retriable 503). @default 200 */
  maxQueue?: number;
}

export type { CodeLogLine };

export interface CodeRunResult {
  output: unknown;
  logs: CodeLogLine[];
}

export interface CodeSandbox {
  /**
   * Runs the code; resolves with its JSON result and console lines. `onLog` also gets the console lines of a
   * call that failed (what it printed before throwing or being stopped). @throws NonRetriableError OUT_ERR_CODE*
   */
  run(source: string, language: CodeLanguage, scope: CodeScope, onLog?: (line: CodeLogLine) => void): Promise<CodeRunResult>;
  readonly limits: CodeLimits;
  /** Workers started so far (first starts and replacements). */
  readonly spawned: number;
  /** Starts `count` workers (default all) and their QuickJS module now instead of at the first call. */
  warm(count?: number): void;
  close(): Promise<void>;
}

const CODE_BY_KIND: Record<CodeFailureKind, ErrorCode> = {
  syntax: ErrorCode.CODE_SYNTAX,
  thrown: ErrorCode.CODE_FAILED,
  timeout: ErrorCode.CODE_TIMEOUT,
  memory: ErrorCode.CODE_MEMORY,
  output: ErrorCode.CODE_OUTPUT,
  crashed: ErrorCode.CODE_FAILED,
};

/** Worker V8 heap: the worker's own JS (tsx, sucrase, glue) and result copies; QuickJS memory is outside it. */
const WORKER_HEAP_MB = 96;
/** Wall-clock backstop beyond the engine's own deadline (start-up of the runtime, copying the scope). */
const BACKSTOP_MS = 2000;

export function createCodeSandbox(options: CodeSandboxOptions = {}): CodeSandbox {
  const limits: CodeLimits = { ...CODE_LIMIT_DEFAULTS, ...options.limits };
  const entry = new URL(import.meta.url.endsWith('.js') ? './code-worker.js' : './code-worker.ts', import.meta.url);
  const pool = createWorkerPool(entry, { size: options.workers ?? 2, heapMb: WORKER_HEAP_MB, timeoutMs: limits.timeoutMs + BACKSTOP_MS, maxQueue: options.maxQueue ?? 200 });
  return {
    limits,
    get spawned() {
      return pool.spawned;
    },
    async run(source, language, scope, onLog) {
      const reply = await pool.run('code', { source, language, scope, limits }).catch((err: unknown) => {
        if (!(err instanceof SandboxError)) throw err;
        if (err.reason === 'timeout') throw new NonRetriableError(ErrorCode.CODE_TIMEOUT, `The code ran longer than ${limits.timeoutMs} ms and its worker was stopped.`, { details: [{ path: 'data.code', message: err.message }] });
        if (err.reason === 'memory') throw new NonRetriableError(ErrorCode.CODE_MEMORY, err.message, { details: [{ path: 'data.code', message: err.message }] });
        throw new OperationalError(ErrorCode.UNAVAILABLE, err.message, { cause: err });
      });
      if (!reply.ok) throw new OperationalError(ErrorCode.UNAVAILABLE, `The code worker failed: ${String((reply.error as { message?: string }).message)}`);
      const outcome = reply.value as CodeOutcome;
      if (onLog) for (const line of outcome.logs) onLog(line);
      if (outcome.ok) return { output: outcome.output, logs: outcome.logs };
      const detail = { path: 'data.code', message: outcome.stack ? `${outcome.message}\n${outcome.stack}` : outcome.message, ...(outcome.line === undefined ? {} : { code: `line:${outcome.line}` }) };
      throw new NonRetriableError(CODE_BY_KIND[outcome.kind], outcome.message, { details: [detail] });
    },
    warm: (count) => pool.warm(count),
    close: () => pool.close(),
  };
}
