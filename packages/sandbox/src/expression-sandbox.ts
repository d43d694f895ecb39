/**
 * `{{ }}` templates and JSONata expressions evaluated off the caller's event loop, in the worker pool: a
 * runaway (allocation bomb past the engine's caps, a loop inside one built-in) costs a worker, never the
 * process. Errors come back as the engine threw them (`UserError` OUT_ERR_EXPRESSION with details).
 */
import { ErrorCode, OperationalError, UserError, type ErrorDetail } from '@outrun/schemas';
import type { SerializedTaskError } from './serve-tasks';
import { createWorkerPool, SandboxError, type TaskReply, type WorkerPoolOptions } from './worker-pool';

export interface ExpressionSandbox {
  /** Like the engine's `evaluateTemplate`, but in a worker with a heap cap and a hard time limit. */
  evaluateTemplate(template: string, scope: { input?: unknown; trigger?: unknown; steps?: Record<string, unknown> }, path?: string): Promise<unknown>;
  /** Like the engine's `evaluateExpression` (whole JSONata), result normalised to JSON. */
  evaluateExpression(source: string, scope: unknown, path?: string): Promise<unknown>;
  /** Workers started so far (first starts and replacements after a kill). */
  readonly spawned: number;
  close(): Promise<void>;
}

/** Defaults for expressions: one worker, 64 MB heap, 2 s (the engine's own guardrail stops at 1 s first). */
export const EXPRESSION_SANDBOX_DEFAULTS = { size: 1, heapMb: 64, timeoutMs: 2000, maxQueue: 50 } as const;

function fromReply(reply: TaskReply, path: string): unknown {
  if (reply.ok) return reply.value;
  const e = reply.error as SerializedTaskError;
  const details = Array.isArray(e.details) ? (e.details as ErrorDetail[]) : [{ path, message: e.message }];
  const code = (Object.values(ErrorCode) as string[]).includes(e.code ?? '') ? (e.code as ErrorCode) : ErrorCode.EXPRESSION;
  throw new UserError(code, e.message, e.status ?? 400, { details });
}

function fromFailure(err: unknown, path: string): never {
  if (!(err instanceof SandboxError)) throw err;
  if (err.reason === 'timeout' || err.reason === 'memory') {
    throw new UserError(ErrorCode.EXPRESSION, err.message, 400, { details: [{ path, message: err.message, code: err.reason === 'timeout' ? 'OUTRUN_TIMEOUT' : 'OUTRUN_MEMORY' }] });
  }
  throw new OperationalError(ErrorCode.UNAVAILABLE, err.message, { cause: err });
}

/** Creates the sandbox (workers start with the first evaluation). */
export function createExpressionSandbox(options: WorkerPoolOptions = {}): ExpressionSandbox {
  // Compiled (the image's bundle, main.js) the worker is its JavaScript sibling; from source, the TypeScript file.
  const entry = new URL(import.meta.url.endsWith('.js') ? './expression-worker.js' : './expression-worker.ts', import.meta.url);
  const pool = createWorkerPool(entry, { ...EXPRESSION_SANDBOX_DEFAULTS, ...options });
  return {
    get spawned() {
      return pool.spawned;
    },
    async evaluateTemplate(template, scope, path) {
      const reply = await pool.run('template', { template, scope: { input: scope.input, trigger: scope.trigger, steps: scope.steps ?? {} }, path }).catch((err: unknown) => fromFailure(err, path ?? ''));
      return fromReply(reply, path ?? '');
    },
    async evaluateExpression(source, scope, path = 'expression') {
      const reply = await pool.run('expression', { source, scope, path }).catch((err: unknown) => fromFailure(err, path));
      return fromReply(reply, path);
    },
    close: () => pool.close(),
  };
}
