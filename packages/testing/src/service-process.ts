/**
 * A service (`services/<name>/src/main.ts`) as a real child process, for fault tests that `kill -9` it:
 * started with tsx on an ephemeral port, ready once its `/readyz` answers 200, its output kept for failure messages.
 *
 * ```ts
 * const listener = await spawnService('listener', { OUTRUN_DATA_DIR: dir, REDIS_URL: url, OUTRUN_QUEUE_PREFIX: prefix });
 * listener.kill('SIGKILL');
 * await listener.exited;
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis';

export type ServiceName = 'api' | 'listener' | 'runner';

const PORT_VARIABLE: Record<ServiceName, string> = { api: 'API_PORT', listener: 'LISTENER_PORT', runner: 'RUNNER_PORT' };

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Everything the process wrote so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or signal) once it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` unless the process already exited. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `services/<name>/src/main.ts` with a minimal environment (PATH, NODE_ENV=test, LOG_LEVEL=warn, its port)
 * plus `env`, and waits up to `readyTimeoutMs` (30 s) for `/readyz`. Always kill it (e.g. in `afterAll`).
 */
export async function spawnService(name: ServiceName, env: Record<string, string>, options: { port?: number; nodeArgs?: string[]; compiledEntry?: string; readyTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const main = fileURLToPath(new URL(`../../../services/${name}/src/main.ts`, import.meta.url));
  const childEnv = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', [PORT_VARIABLE[name]]: String(port), ...env };
  // `compiledEntry`: a compiled JavaScript main (the image tree's), started with plain node, no tsx.
  const args = options.compiledEntry ? [options.compiledEntry] : ['--import', 'tsx', main];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (gone) throw new Error(`${name} exited during start-up:\n${output}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name, child, port, url, exited,
    output: () => output,
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
    async stop(graceMs = 5_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
