/**
 * Outrun services as real child processes (`node --import tsx <main.ts>`) for end-to-end tests: spawned with an
 * explicit environment (nothing inherited but PATH), ready when their readiness path answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote (JSON log lines), for failure messages. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `main` and waits until `readyUrl` answers 200 (fails with the process output when it exits first). */
export async function spawnService(name: string, main: string, env: Record<string, string>, readyUrl: string, timeoutMs = 30_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`${name} exited during start-up:\n${output}`);
    if (await fetch(readyUrl).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    child,
    output: () => output,
    exited,
    async stop(graceMs = 5000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
