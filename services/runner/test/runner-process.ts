/** Runner child processes (`node --import tsx src/main.ts`, or a compiled `main.js`) for multi-process tests and benches. */
import type { ChildProcess } from 'node:child_process';
import { spawnService } from '@outrun/testing/service-process';

export interface RunnerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process wrote (JSON log lines), for failure messages. */
  output(): string;
  /** Prometheus text of its /metrics. */
  metrics(): Promise<string>;
  /** Resolves with the exit code (or signal) once it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface RunnerProcessEnv {
  dataDir: string;
  encryptionKey: string;
  redisUrl?: string;
  prefix?: string;
  concurrency?: number;
  graceMs?: number;
  reconcileMs?: number;
  /** Extra node flags (e.g. `--cpu-prof` for profiling the benchmark). */
  nodeArgs?: string[];
  /** A compiled entry (the image tree's `lib/runner/main.js`) started with plain node; default: the TypeScript source under tsx. */
  compiledEntry?: string;
}

/** Spawns a runner (`spawnService`, the runner's settings as environment) and waits until its /readyz answers 200. */
export async function spawnRunner(env: RunnerProcessEnv): Promise<RunnerProcess> {
  const childEnv: Record<string, string> = {
    OUTRUN_DATA_DIR: env.dataDir,
    OUTRUN_ENCRYPTION_KEY: env.encryptionKey,
    OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1',
    RUNNER_CONCURRENCY: String(env.concurrency ?? 16),
    RUNNER_GRACE_MS: String(env.graceMs ?? 5000),
    RUNNER_RECONCILE_MS: String(env.reconcileMs ?? 30_000),
  };
  // Tracing benchmarks (bench:tracing) export from the runner processes too.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) childEnv.OTEL_EXPORTER_OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.redisUrl) childEnv.REDIS_URL = env.redisUrl;
  if (env.prefix) childEnv.OUTRUN_QUEUE_PREFIX = env.prefix;
  const runner = await spawnService('runner', childEnv, { nodeArgs: env.nodeArgs ?? [], ...(env.compiledEntry ? { compiledEntry: env.compiledEntry } : {}) });
  return {
    child: runner.child,
    port: runner.port,
    output: runner.output,
    metrics: () => fetch(`${runner.url}/metrics`).then((r) => r.text()),
    exited: runner.exited,
    kill: runner.kill,
  };
}

/** Reads one sample (`name{labels} value`) from Prometheus text; 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (!Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
