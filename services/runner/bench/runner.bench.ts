/**
 * `npm run bench:runner` — the reference workflow (trigger → set score = value*2 → condition score > 10 →
 * http-request POST to a local sink) through the whole runner: in-process mode, then BullMQ mode with 1, 2
 * and 4 runner processes (compiled, from the runner's image tree; BENCH_RUNNER_FROM=source for tsx). Prints
 * completed runs/s (closed loop), trigger-to-completion p50/p99 at a fixed 300 runs/s, and runner RSS, next to the
 * targets. BENCH_SECONDS shortens each throughput phase (default 60).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger, parseEnv } from '@outrun/config';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { openQueue } from '@outrun/queue/open';
import type { Workflow } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { buildImageTree } from '../../../scripts/image/build-tree';
import { createRunner } from '../src/runner';
import { createWorkflow, edge, node } from '../test/harness';
import { spawnRunner } from '../test/runner-process';
import { closedLoop, fixedRate, type LoadResult, type LoadTarget } from './bench-load';
import { startCountingSink } from './bench-sink';

const env = parseEnv(
  z.object({
    BENCH_SECONDS: z.coerce.number().positive().default(60),
    BENCH_IN_FLIGHT: z.coerce.number().int().positive().default(128),
    BENCH_RUNNER_CONCURRENCY: z.coerce.number().int().positive().default(64),
    REDIS_URL: z.string().default(SHARED_REDIS_URL),
    /** Comma-separated subset of: inprocess, bullmq1, bullmq2, bullmq4. */
    BENCH_MODES: z.string().default('inprocess,bullmq1,bullmq2,bullmq4'),
    /** Extra node flags for runner processes, space-separated (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
    // The heap settings `npm run start -w services/runner` and docker-compose ship with (RUNNER_HEAP_MB).
    BENCH_RUNNER_NODE_ARGS: z.string().default('--max-semi-space-size=8 --max-old-space-size=256'),
    /**
     * What the runner processes run: `image` — the service compiled as its image ships it (scripts/image/build-tree.ts,
     * plain node, no tsx); `source` — the TypeScript sources under tsx (what `npm run dev` runs).
     */
    BENCH_RUNNER_FROM: z.enum(['image', 'source']).default('image'),
  }),
);
const SECONDS = env.BENCH_SECONDS;
const RATE_SECONDS = Math.max(5, Math.round(SECONDS / 3));
const WARMUP_SECONDS = Math.min(3, SECONDS / 4);
const logger = createLogger({ name: 'runner-bench', level: 'silent' });

interface Row {
  mode: string;
  throughput: LoadResult;
  fixed: LoadResult;
  rssMb: number;
  /** CPU (ms) of the measured processes per completed run in the closed loop: comparable on a loaded machine. */
  cpuMsPerRun: number;
}

async function referenceWorkflow(store: Store, sinkUrl: string): Promise<Workflow> {
  const workspace = await store.workspaces.createWorkspace({ name: 'bench' });
  return createWorkflow(store, workspace.id, {
    nodes: [
      node('score', 'set', { fields: [{ name: 'score', value: '{{ input.value * 2 }}' }] }),
      node('check', 'condition', { left: '{{ input.score }}', operator: 'gt', right: 10 }),
      node('post', 'http-request', { method: 'POST', url: `${sinkUrl}/hook`, bodyType: 'json', body: { score: '{{ input.score }}' } }),
    ],
    edges: [edge('trigger', 'score'), edge('score', 'check'), edge('check', 'post', 'true')],
    settings: { concurrency: 1000 },
  });
}

/** Samples the largest RSS (MB) of the given sources while `work` runs. */
async function withPeakRss<T>(read: () => number, work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), 500);
  try {
    const value = await work();
    return { value, peakMb: Math.max(peak, read()) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const rssOfPid = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

/** User + system CPU time of a process (Linux /proc), in ms. */
const cpuMsOfPid = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function phases(target: LoadTarget, readRss: () => number, readCpuMs: () => number): Promise<Omit<Row, 'mode'>> {
  await closedLoop(target, WARMUP_SECONDS, env.BENCH_IN_FLIGHT);
  const cpu0 = readCpuMs();
  const { value: throughput, peakMb } = await withPeakRss(readRss, () => closedLoop(target, SECONDS, env.BENCH_IN_FLIGHT));
  const cpuMsPerRun = (readCpuMs() - cpu0) / Math.max(1, throughput.completed);
  const fixed = await fixedRate(target, RATE_SECONDS, 300);
  return { throughput, fixed, rssMb: peakMb, cpuMsPerRun };
}

async function inProcess(): Promise<Row> {
  const sink = await startCountingSink();
  const temp = await createTempSqliteStore();
  const opened = openQueue({});
  const http = createHttpClient({ allowList: ['127.0.0.1'] });
  const workflow = await referenceWorkflow(temp.store, sink.url);
  const runner = createRunner({ store: temp.store, queue: opened.queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog(), logger, http, options: { concurrency: env.BENCH_RUNNER_CONCURRENCY, reconcileIntervalMs: 0 } });
  await runner.start();
  try {
    const row = await phases({ runs: temp.store.runs, queue: opened.queue, events: opened.events, workflow }, () => process.memoryUsage().rss, ownCpuMs);
    return { mode: 'in-process (bench + runner + sink in one process)', ...row };
  } finally {
    await runner.stop({ graceMs: 2000 });
    await opened.close();
    await http.close();
    await temp.cleanup();
    await sink.close();
  }
}

/** The runner's image tree, built once per bench process (about a second: files are copied, nothing installed). */
let imageMain: Promise<{ main: string; dir: string }> | null = null;
const compiledRunner = () =>
  (imageMain ??= mkdtemp(join(tmpdir(), 'outrun-runner-image-')).then(async (dir) => {
    await buildImageTree('runner', dir);
    return { main: join(dir, 'lib', 'runner', 'main.js'), dir };
  }));

async function bullmq(processes: number): Promise<Row> {
  const compiledMain = env.BENCH_RUNNER_FROM === 'image' ? (await compiledRunner()).main : undefined;
  const sink = await startCountingSink();
  const temp = await createTempSqliteStore();
  const prefix = uniquePrefix('bench');
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix });
  const workflow = await referenceWorkflow(temp.store, sink.url);
  const runners = await Promise.all(
    Array.from({ length: processes }, () => spawnRunner({ dataDir: temp.dir, encryptionKey: temp.encryptionKey, redisUrl: env.REDIS_URL, prefix, concurrency: env.BENCH_RUNNER_CONCURRENCY, nodeArgs: env.BENCH_RUNNER_NODE_ARGS.split(' ').filter(Boolean), ...(compiledMain ? { compiledEntry: compiledMain } : {}) })),
  );
  try {
    const row = await phases({ runs: temp.store.runs, queue: opened.queue, events: opened.events, workflow }, () => Math.max(...runners.map((r) => rssOfPid(r.child.pid!))), () => runners.reduce((sum, r) => sum + cpuMsOfPid(r.child.pid!), 0));
    return { mode: `BullMQ, ${processes} runner process${processes > 1 ? 'es' : ''} (${compiledMain ? 'compiled, as the image runs it' : 'TypeScript under tsx'}; max RSS of one runner)`, ...row };
  } finally {
    for (const r of runners) r.kill('SIGTERM');
    await Promise.all(runners.map((r) => r.exited));
    await opened.close();
    await temp.cleanup();
    await sink.close();
    await cleanupPrefix(env.REDIS_URL, prefix);
  }
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function print(rows: Row[]): void {
  console.log(`\nrunner benchmark — reference workflow, ${SECONDS} s closed loop (${env.BENCH_IN_FLIGHT} runs in flight), ${RATE_SECONDS} s at 300 runs/s`);
  console.log('measured on a 2-core machine shared with other work: figures are indicative, not isolated\n');
  for (const r of rows) {
    const inProc = r.mode.startsWith('in-process');
    console.log(r.mode);
    console.log(`  completed runs/s     ${fmt(r.throughput.perSecond, 1).padStart(8)}   target ≥ ${inProc ? '1,000' : '750'}   (${r.throughput.completed} runs, ${r.throughput.failed} failed)`);
    console.log(`  closed-loop p50/p99  ${fmt(r.throughput.p50, 1)} / ${fmt(r.throughput.p99, 1)} ms`);
    console.log(`  at 300 runs/s p50/p99 ${fmt(r.fixed.p50, 1)} / ${fmt(r.fixed.p99, 1)} ms   target p99 ≤ 50 ms   (${r.fixed.completed} runs, ${r.fixed.failed} failed/unfinished)`);
    console.log(`  runner RSS (peak)    ${fmt(r.rssMb)} MB   target ≤ 200 MB`);
    console.log(`  CPU per run          ${fmt(r.cpuMsPerRun, 2)} ms   (${inProc ? 'the whole bench process: load, runner, sink' : 'runner processes'})`);
  }
  const b = rows.filter((r) => r.mode.startsWith('BullMQ')).map((r) => r.throughput.perSecond);
  if (b.length === 3) console.log(`\nscaling 1 → 2 → 4 runners: ${b.map((x) => fmt(x, 1)).join(' → ')} runs/s   target: no drop from 1 to 4 (${b[2]! >= b[0]! * 0.95 ? 'met' : 'NOT met'})`);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const modes = new Set(env.BENCH_MODES.split(',').map((m) => m.trim()));
  if (modes.has('inprocess')) rows.push(await inProcess());
  try {
    for (const n of [1, 2, 4]) if (modes.has(`bullmq${n}`)) rows.push(await bullmq(n));
  } finally {
    if (imageMain) await rm((await imageMain).dir, { recursive: true, force: true });
  }
  print(rows);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
