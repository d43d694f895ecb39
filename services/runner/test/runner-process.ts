/** Runner child processes (`node --import tsx src/main.ts`, or a compiled `main.js`) for multi-process tests and benches. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@outrun/testing/redis';
import { waitUntil } from './harness';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

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
  compiledMain?: string;
}

/** Spawns a runner and waits until its /readyz answers 200. */
export async function spawnRunner(env: RunnerProcessEnv): Promise<RunnerProcess> {
  const port = await freePort();
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RUNNER_PORT: String(port),
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
  const entry = env.compiledMain ? [env.compiledMain] : ['--import', 'tsx', MAIN];
  const child = spawn(process.execPath, [...(env.nodeArgs ?? []), ...entry], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (gone) throw new Error(`runner exited during start-up:\n${output}`);
      return fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    },
    30_000,
    'the runner to be ready',
  );
  return {
    child,
    port,
    output: () => output,
    metrics: () => fetch(`${base}/metrics`).then((r) => r.text()),
    exited,
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
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
