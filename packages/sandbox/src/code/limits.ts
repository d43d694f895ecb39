/**
 * The code node's limits: what one call may use inside its QuickJS runtime. Defaults are conservative; an
 * operator may change them with environment variables (read once, validated, in `codeLimitsFromEnv`).
 */
import { z } from 'zod';

export interface CodeLimits {
  /** CPU/wall time of one call inside the engine (interrupt handler; also stops `await` chains). */
  timeoutMs: number;
  /** Bytes the QuickJS runtime may allocate (heap of the user's code, its input copy included). */
  memoryBytes: number;
  /** Characters of the JSON the code returns. */
  maxOutputChars: number;
  /** QuickJS stack (bytes): deep recursion ends in a catchable `stack overflow` error before the host's stack. */
  stackBytes: number;
}

export const CODE_LIMIT_DEFAULTS: CodeLimits = {
  timeoutMs: 1000,
  memoryBytes: 64 * 1024 * 1024,
  maxOutputChars: 1_000_000,
  stackBytes: 256 * 1024,
};

/** Nesting of the returned JSON: deeper values would overflow recursive readers (store, JSON.stringify). */
export const MAX_OUTPUT_DEPTH = 64;

const CodeEnv = z.object({
  OUTRUN_CODE_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  OUTRUN_CODE_MEMORY_MB: z.coerce.number().int().min(8).max(1024).optional(),
  OUTRUN_CODE_MAX_OUTPUT_CHARS: z.coerce.number().int().min(1000).max(50_000_000).optional(),
  OUTRUN_CODE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  OUTRUN_CODE_WARM_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
});

/** Limits and worker count from `OUTRUN_CODE_*` (a bad value throws at start-up, naming the variable). */
export function codeLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): { limits: CodeLimits; workers: number; warmWorkers: number } {
  const parsed = CodeEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    limits: {
      ...CODE_LIMIT_DEFAULTS,
      ...(e.OUTRUN_CODE_TIMEOUT_MS === undefined ? {} : { timeoutMs: e.OUTRUN_CODE_TIMEOUT_MS }),
      ...(e.OUTRUN_CODE_MEMORY_MB === undefined ? {} : { memoryBytes: e.OUTRUN_CODE_MEMORY_MB * 1024 * 1024 }),
      ...(e.OUTRUN_CODE_MAX_OUTPUT_CHARS === undefined ? {} : { maxOutputChars: e.OUTRUN_CODE_MAX_OUTPUT_CHARS }),
    },
    workers: e.OUTRUN_CODE_WORKERS ?? 2,
    /** Started when the first run containing a code step starts (the code node's `prepare`), so its code step and later ones skip the worker and QuickJS start-up. */
    warmWorkers: e.OUTRUN_CODE_WARM_WORKERS ?? 1,
  };
}
