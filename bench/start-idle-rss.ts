/**
 * Idle RSS of the embedded stack per way of starting it (docs/performance.md, idle memory): each start on a fresh
 * data dir, web app off, read 3 s after `/readyz` answers; the process tree is summed (no npm wrapper: the
 * command is spawned directly). `npx tsx bench/start-idle-rss.ts [runs]` — modes interleaved, `runs` each.
 *
 *   tsx-cli      `tsx scripts/start.ts` (what `npm start` ran before: the tsx CLI process plus its node child)
 *   source       `node scripts/start/launch.mjs` with OUTRUN_START_FROM_SOURCE=1 (tsx registered in-process)
 *   compiled-default-heap  `node scripts/start/launch.mjs` (the esbuild bundle; built first if stale)
 *   compiled     the same with `--max-semi-space-size=4 --heap-growing-percent=100`: what `npm start` runs (package.json)
 *   compiled+thread  that with OUTRUN_RUNNER_THREAD=true (the runner's worker thread loads the compiled code)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@outrun/testing/redis';
import { treeRssMb } from './process-rss';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODES: Record<string, { argv: string[]; env?: Record<string, string> }> = {
  'tsx-cli': { argv: [join(root, 'node_modules/.bin/tsx'), 'scripts/start.ts'] },
  source: { argv: [process.execPath, 'scripts/start/launch.mjs'], env: { OUTRUN_START_FROM_SOURCE: '1' } },
  'compiled-default-heap': { argv: [process.execPath, 'scripts/start/launch.mjs'] },
  compiled: { argv: [process.execPath, '--max-semi-space-size=4', '--heap-growing-percent=100', 'scripts/start/launch.mjs'] },
  'compiled+thread': { argv: [process.execPath, '--max-semi-space-size=4', '--heap-growing-percent=100', 'scripts/start/launch.mjs'], env: { OUTRUN_RUNNER_THREAD: 'true' } },
};

async function idleRss(mode: string): Promise<{ rssMb: number; readyMs: number }> {
  const { argv, env } = MODES[mode]!;
  const dataDir = await mkdtemp(join(tmpdir(), 'outrun-idle-rss-'));
  const api = await freePort();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OUTRUN_WEB_MODE: 'off', OUTRUN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', API_PORT: String(api), LISTENER_PORT: String(await freePort()), RUNNER_PORT: String(await freePort()), ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const started = Date.now();
  try {
    while (!(await fetch(`http://127.0.0.1:${api}/readyz`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`${mode} did not become ready:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const readyMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 3_000));
    return { rssMb: treeRssMb(child.pid!), readyMs };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

const runs = Number(process.argv[2] ?? 3);
const modes = (process.env.IDLE_RSS_MODES ?? Object.keys(MODES).join(',')).split(',');
const results: Record<string, Array<{ rssMb: number; readyMs: number }>> = Object.fromEntries(modes.map((m) => [m, []]));
process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
for (let i = 0; i < runs; i++) {
  for (const mode of modes) {
    const r = await idleRss(mode);
    results[mode]!.push(r);
    process.stdout.write(`${mode}: ${r.rssMb.toFixed(1)} MB idle (ready in ${r.readyMs} ms)\n`);
  }
}
for (const mode of modes) {
  const rss = results[mode]!.map((r) => r.rssMb).sort((a, b) => a - b);
  process.stdout.write(`${mode}: median ${rss[Math.floor(rss.length / 2)]!.toFixed(1)} MB (${rss.map((x) => x.toFixed(1)).join(', ')})\n`);
}
process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
