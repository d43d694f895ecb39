/**
 * The embedded stack for browser tests: gateway + listener + runner composed by `createStack()` (the services' own
 * composition roots, as `npm start` wires them) on a temp SQLite store and the in-process queue (real HTTP ports),
 * an HTTP sink for the workflow to call, and the web app (`next start` on a free port, after `next build` when the
 * build is missing or older than the sources).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiDeps } from '@outrun/api';
import type { Connector } from '@outrun/connector-kit';
import type { WorkflowApi } from '@outrun/client';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createStack } from '@outrun/testing/stack';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Stack {
  apiUrl: string;
  webUrl: string;
  workspaceId: string;
  apiKey: string;
  api: WorkflowApi;
  sink: HttpSink;
  temp: TempSqliteStore;
  /** Seconds `next build` took in this run (0 when an up-to-date build was reused). */
  buildSeconds: number;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), s.mtimeMs);
}

/** True when `.next` holds a production build newer than every source it was built from. */
function buildIsFresh(): boolean {
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const sources = [join(WEB_DIR, 'src'), join(WEB_DIR, 'next.config.mjs'), join(WEB_DIR, 'package.json'), join(WEB_DIR, '../../packages/client/src'), join(WEB_DIR, '../../packages/schemas/src')];
  return statSync(buildId).mtimeMs > Math.max(...sources.map(newestMtime));
}

function nextBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('next/package.json')), 'dist', 'bin', 'next');
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [nextBin(), ...args], { cwd: WEB_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next ${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface StackOptions {
  /** AI provider defaults of the runner's nodes (a local OpenAI-compatible server), given to it as its environment. */
  runnerServices?: { ai?: { baseURL: string; apiKey: string } };
  /** Extra environment of the web server (e.g. OUTRUN_TRACE_URL_TEMPLATE). */
  webEnv?: Record<string, string>;
  /** Connectors whose actions join the catalog (and `GET /api/connectors`). @default none */
  connectors?: readonly Connector[];
  /** The gateway's account options (mailer, app URL for links). */
  apiAccounts?: ApiDeps['accounts'];
  /** The web server's port, when the gateway must know the app's URL up front (an SSO redirect URI). @default a free one */
  webPort?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const temp = await createTempSqliteStore();
  const ai = options.runnerServices?.ai;
  const stack = await createStack({
    file: temp.file,
    store: temp.store,
    encryptionKey: temp.encryptionKey,
    logLevel: 'error',
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.apiAccounts ? { accounts: options.apiAccounts } : {}),
    // The workspace and key exist before the gateway so it can sign the local owner in like `npm start` does.
    localWorkspace: 'e2e',
    ...(ai ? { env: { OPENAI_BASE_URL: ai.baseURL, OPENAI_API_KEY: ai.apiKey } } : {}),
  });
  const local = stack.local!;
  const apiUrl = stack.baseUrl;
  const sink = await startHttpSink({ status: 200 });

  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };
  let buildSeconds = 0;
  if (!buildIsFresh()) {
    const started = Date.now();
    await run(['build'], env);
    buildSeconds = Math.round((Date.now() - started) / 1000);
  }
  // A free port can be taken by a parallel test file between `freePort()` and `next start` binding it: an early
  // exit is retried on another port (twice), and the last failure says what next printed.
  let web: ChildProcess | undefined;
  let webUrl = '';
  for (let attempt = 1; !web; attempt++) {
    const webPort = options.webPort ?? (await freePort());
    const child = spawn(process.execPath, [nextBin(), 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: WEB_DIR,
      env: { ...env, WORKFLOW_API_URL: apiUrl, OUTRUN_API_KEY: local.apiKey, OUTRUN_WORKSPACE_ID: local.ws, ...options.webEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    webUrl = `http://127.0.0.1:${webPort}`;
    try {
      await waitForHttp(`${webUrl}/config.json`, child, 60_000);
      web = child;
    } catch (error) {
      child.kill();
      if (child.exitCode === null || attempt >= 3) throw new Error(`${(error as Error).message}: ${stderr.trim()}`, { cause: error });
    }
  }

  return {
    apiUrl,
    webUrl,
    workspaceId: local.ws,
    apiKey: local.apiKey,
    api: local.api,
    sink,
    temp,
    buildSeconds,
    async close() {
      const exited = new Promise<void>((resolve) => (web.exitCode !== null ? resolve() : web.once('exit', () => resolve())));
      web.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (web.exitCode === null) web.kill('SIGKILL');
      await stack.close();
      await sink.close();
      await temp.cleanup();
    },
  };
}
