/**
 * `npm run bench:ingest` — the webhook hot path under load.
 *
 * The listener runs in a child process (`src/main.ts`) on a SQLite file and BullMQ on the shared Redis
 * (unique prefix). autocannon POSTs a 1 KB JSON body to an async Standard-Webhooks-signed trigger (every request
 * signed with a unique webhook-id in `setupRequest`): 50 connections for BENCH_SECONDS (default 20) flat out,
 * then at a fixed 1,000 req/s. Afterwards every 202 must have a recorded run and a queued job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { WorkflowInput } from '@outrun/schemas';
import { createBullmqQueue } from '@outrun/queue/bullmq';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { signStandardWebhook } from '../src/webhook/verify-webhook-auth';
import { percentile, runPaced } from './paced-load';
import { runAutocannon, type AutocannonRequest, type AutocannonResult } from './run-autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Connections of the fixed-rate phase (at 1,000 req/s a few keep-alive connections suffice). @default 50 */
const FIXED_CONNECTIONS = Number(process.env.BENCH_FIXED_CONNECTIONS ?? 50);
const SECRET = `whsec_${Buffer.from('outrun-ingest-benchmark-secret-32b').toString('base64')}`;
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function startListener(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []), '--import', 'tsx', MAIN], { env: { ...process.env, LISTENER_PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)[^\n]*"msg":"listener listening"/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`listener exited with ${code}`)));
  });
}

function body1k(): string {
  const base = { event: 'lead.created', lead: { name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd', score: 42 }, note: '' };
  base.note = 'x'.repeat(1024 - JSON.stringify(base).length);
  return JSON.stringify(base);
}

async function main(): Promise<void> {
  const temp = await createTempSqliteStore();
  const prefix = uniquePrefix('bench');
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'bench' })).id;
  const credentialId = (await temp.store.credentials.create(ws, { name: 'hook', type: 'webhook_secret', data: { secrets: [SECRET] } })).id;
  const wf = await temp.store.workflows.createWorkflow(ws, WorkflowInput.parse({
    name: 'ingest bench',
    nodes: [{ id: 'n1', type: 'set', position: { x: 0, y: 0 }, data: {} }],
    triggers: [{ id: 'hook', type: 'webhook', config: { auth: { type: 'hmac', credentialId } } }],
  }));
  await temp.store.workflows.setWorkflowStatus(ws, wf.id, 'active');
  // Only 50k+ runs are created per phase; the listener must see the workflow before the load starts.
  // The default webhook rate limits (100/s per trigger, 500/s per workspace) would cap the load being measured.
  // No runner drains the queue here: the backlog mark (OUTRUN_BACKLOG_HIGH_WATER) would refuse after 2,000.
  const { child, port } = await startListener({ OUTRUN_BACKLOG_HIGH_WATER: '0', OUTRUN_WEBHOOK_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_RATE_LIMIT_BURST: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST: '1000000', OUTRUN_HOUSEKEEPING_INTERVAL_MS: '0', OUTRUN_DATA_DIR: temp.dir, OUTRUN_ENCRYPTION_KEY: temp.encryptionKey, ...(process.env.BENCH_MEMORY_QUEUE ? {} : { REDIS_URL: SHARED_REDIS_URL }), OUTRUN_QUEUE_PREFIX: prefix });
  const body = body1k();
  const accepted = new Set<string>();
  let seq = 0;
  const request: AutocannonRequest = {
    method: 'POST',
    path: `/webhook/${ws}/hook`,
    setupRequest: (req) => {
      const id = `msg_${process.pid}_${seq++}`;
      const ts = Math.floor(Date.now() / 1000);
      return { ...req, body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandardWebhook(SECRET, id, ts, body) } };
    },
    onResponse: (status: number, text: string) => {
      if (status === 202) accepted.add((JSON.parse(text) as { runId: string }).runId);
    },
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    // Warm-up (JIT, SQLite page cache, Redis connection).
    await runAutocannon({ url, connections: 10, duration: 2, requests: [request] });
    const cpu0 = cpuMs(child.pid);
    const flat = await runAutocannon({ url, connections: 50, duration: SECONDS, requests: [request] });
    const cpu1 = cpuMs(child.pid);
    const fixed = await runAutocannon({ url, connections: FIXED_CONNECTIONS, duration: SECONDS, overallRate: 1000, requests: [request] });
    const cpu2 = cpuMs(child.pid);
    const makeRequest = () => {
      const signed = request.setupRequest?.({}, {}) as { headers: Record<string, string>; body: string };
      return { headers: signed.headers, body: signed.body };
    };
    const paced = await runPaced({ host: '127.0.0.1', port, path: `/webhook/${ws}/hook`, rate: 1000, seconds: SECONDS, makeRequest, onResponse: (status, text) => request.onResponse?.(status, text, {}) });
    const cpu3 = cpuMs(child.pid);
    report('flat out, 50 connections', flat, cpu1 - cpu0);
    report('autocannon overallRate 1,000 req/s (per-second bursts)', fixed, cpu2 - cpu1);
    const sorted = [...paced.latencies].sort((a, b) => a - b);
    const pacedP50 = percentile(sorted, 50);
    const pacedP99 = percentile(sorted, 99);
    const pacedCodes = [...paced.statuses].map(([code, n]) => `${code}×${n}`).join(' ');
    console.log(`paced open-loop 1,000 req/s (evenly spaced): latency p50 ${pacedP50.toFixed(1)} ms, p99 ${pacedP99.toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms; statuses ${pacedCodes}; listener CPU ${(((cpu3 - cpu2) * 1000) / Math.max(1, paced.sent)).toFixed(0)} µs/request`);
    const ok = (r: AutocannonResult) => r.statusCodeStats['202']?.count ?? 0;
    const flatRate = ok(flat) / SECONDS;
    console.log(`\naccepted req/s (flat out): ${flatRate.toFixed(0)}   target ≥ 2,500   ${flatRate >= 2500 ? 'MET' : 'NOT MET'}`);
    console.log(`p50 at 1,000 req/s: paced ${pacedP50.toFixed(1)} ms · autocannon ${fixed.latency.p50} ms   target ≤ 3 ms   ${pacedP50 <= 3 ? 'MET' : 'NOT MET'} (paced) / ${fixed.latency.p50 <= 3 ? 'MET' : 'NOT MET'} (autocannon)`);
    console.log(`p99 at 1,000 req/s: paced ${pacedP99.toFixed(1)} ms · autocannon ${fixed.latency.p99} ms   target ≤ 15 ms   ${pacedP99 <= 15 ? 'MET' : 'NOT MET'} (paced) / ${fixed.latency.p99 <= 15 ? 'MET' : 'NOT MET'} (autocannon)`);
    await verify(temp.store, ws, accepted, prefix);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await cleanupPrefix(SHARED_REDIS_URL, prefix);
    await temp.cleanup();
  }
}

/** User + system CPU time of a process (Linux /proc), in ms: contention-independent cost per request. */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function report(label: string, r: AutocannonResult, listenerCpuMs: number): void {
  const codes = Object.entries(r.statusCodeStats).map(([code, s]) => `${code}×${s.count}`).join(' ');
  const perRequest = (listenerCpuMs * 1000) / Math.max(1, r.requests.total);
  console.log(`${label}: ${r.requests.average.toFixed(0)} req/s average; latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; statuses ${codes}; errors ${r.errors}, timeouts ${r.timeouts}; listener CPU ${perRequest.toFixed(0)} µs/request`);
}

/** Every 202 must be a recorded run and a queued BullMQ job (job id = run id); and no run lacks its job. */
async function verify(store: Awaited<ReturnType<typeof createTempSqliteStore>>['store'], ws: string, accepted: Set<string>, prefix: string): Promise<void> {
  let missingRuns = 0;
  for (const runId of accepted) if (!(await store.runs.getRun(ws, runId))) missingRuns++;
  const redis = new Redis(SHARED_REDIS_URL);
  const pipeline = redis.pipeline();
  for (const runId of accepted) pipeline.exists(`${prefix}:runs:${runId}`);
  const exists = (await pipeline.exec()) ?? [];
  redis.disconnect();
  const missingJobs = exists.filter(([, n]) => n !== 1).length;
  let runs = 0;
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await store.runs.listRuns(ws, { limit: 500, ...(cursor ? { cursor } : {}) });
    runs += page.items.length;
    cursor = page.nextCursor ?? undefined;
  }
  const queue = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
  const counts = await queue.counts();
  await queue.close();
  const jobs = counts.waiting + counts.active + counts.delayed;
  const ok = missingRuns === 0 && missingJobs === 0 && jobs === runs;
  console.log(`\nverification: ${accepted.size} answered 202 → ${missingRuns} without a run, ${missingJobs} without a job; store ${runs} runs, queue ${jobs} jobs (requests cut off at the end are recorded but unanswered) → ${ok ? 'OK' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
