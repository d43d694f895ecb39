import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Newest modification time under `dir` (0 when missing). */
async function newestMtime(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let newest = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const { mtimeMs } = await stat(join(entry.parentPath, entry.name));
    newest = Math.max(newest, mtimeMs);
  }
  return newest;
}

/** True when the production build is missing or older than the sources it was built from. */
export async function webBuildIsStale(root: string): Promise<boolean> {
  const built = await stat(join(root, 'apps/web/.next/BUILD_ID')).then((s) => s.mtimeMs, () => 0);
  if (built === 0) return true;
  const sources = ['apps/web/src', 'apps/web/public', 'packages/client/src', 'packages/schemas/src'];
  const newest = Math.max(...(await Promise.all(sources.map((dir) => newestMtime(join(root, dir))))));
  return newest > built;
}

export interface WebOptions {
  root: string;
  port: number;
  /** Interface to bind. */
  host: string;
  mode: 'production' | 'dev';
  env: Record<string, string>;
  /** Receives each line of Next's output. */
  onLine: (line: string) => void;
}

function runNext(args: string[], options: WebOptions): ChildProcess {
  const nextBin = require.resolve('next/dist/bin/next', { paths: [join(options.root, 'apps/web')] });
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: join(options.root, 'apps/web'),
    env: { ...process.env, ...options.env, NEXT_TELEMETRY_DISABLED: '1', PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(options.onLine));
  }
  return child;
}

/** Runs `next build` when the build is missing or stale. @returns whether it built. */
export async function buildWebIfStale(options: Pick<WebOptions, 'root' | 'env' | 'onLine'>): Promise<boolean> {
  if (!(await webBuildIsStale(options.root))) return false;
  options.onLine('building the web app (first start, or sources changed)…');
  const build = runNext(['build'], { ...options, port: 0, host: '127.0.0.1', mode: 'production' });
  const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  return true;
}

/** Builds the web app when needed (production mode), then starts `next start` (or `next dev`). */
export async function startWeb(options: WebOptions): Promise<ChildProcess> {
  if (options.mode === 'production') await buildWebIfStale(options);
  // Bind like the services: the embedded web app hands the local API key to its pages, so it must not face the LAN.
  const args = [options.mode === 'dev' ? 'dev' : 'start', '-p', String(options.port), '-H', options.host];
  return runNext(args, options);
}

/** Resolves once the web app answers HTTP on `port` (any status), or rejects after `timeoutMs`. */
export async function waitForWeb(port: number, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web app exited with code ${child.exitCode} before it was ready`);
    if (await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`the web app did not answer on port ${port} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
