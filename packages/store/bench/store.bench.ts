/**
 * SQLite store benchmark (`npm run bench:store`). Prints measured figures next to the targets of issue 3.
 * Options: --runs=N (throughput runs, default 5000), --list-rows=N (rows of the list workspace, default 1000000),
 * --size-runs=N (runs of the size measurement, default 2000), --concurrency=N (runs in flight, default 64).
 * Durability as configured in production: WAL + synchronous=NORMAL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDriver as Database } from '@outrun/store/sqlite';
import { WorkflowInput } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { createSqliteStore } from '@outrun/store/sqlite';

const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const RUNS = arg('runs', 5000);
const LIST_ROWS = arg('list-rows', 1_000_000);
const SIZE_RUNS = arg('size-runs', 2000);
const CONCURRENCY = arg('concurrency', 64);
const key = randomBytes(32).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'outrun-store-bench-'));
const rows: Array<{ metric: string; measured: string; target: string; pass: boolean | null }> = [];

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const payload1k = (): Record<string, string> => ({ body: 'x'.repeat(1024 - 12) });

async function seed(store: Store): Promise<{ ws: string; wf: string }> {
  const ws = await store.workspaces.createWorkspace({ name: 'bench' });
  const wf = await store.workflows.createWorkflow(ws.id, WorkflowInput.parse({ name: 'bench' }));
  return { ws: ws.id, wf: wf.id };
}

/** One run as the runner records it: create, running, 3 steps (start + finish each), finish. */
async function oneRun(store: Store, ws: string, wf: string, payload: unknown, stepLatencies?: number[]): Promise<void> {
  const at = new Date().toISOString();
  const { run } = await store.runs.createRun(ws, { workflowId: wf, workflowVersion: 1, triggeredBy: { type: 'webhook', source: '/webhook/bench', payload: payload as never } });
  await store.runs.markRunning(ws, run.id, { attempt: 1, at });
  for (let i = 0; i < 3; i++) {
    const nodeId = `node-${i}`;
    let t = process.hrtime.bigint();
    await store.runs.recordStepStart(ws, run.id, { nodeId, nodeType: 'transform', attempt: 1, startedAt: at, input: { ref: i } });
    stepLatencies?.push(ms(t));
    t = process.hrtime.bigint();
    await store.runs.recordStepFinish(ws, run.id, { nodeId, status: 'completed', attempt: 1, finishedAt: at, duration: 1, output: { ok: true, index: i, note: 'small output' } });
    stepLatencies?.push(ms(t));
  }
  await store.runs.finishRun(ws, run.id, { status: 'completed', output: { ok: true }, usage: { aiTokensUsed: 0, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 0 }, at });
}

/** Runs `total` runs with `inFlight` of them in progress at once (the runner's concurrency), one process. */
async function throughput(inFlight: number, total: number): Promise<void> {
  const store = createSqliteStore({ file: join(dir, `throughput-${inFlight}.db`), encryptionKey: key });
  const { ws, wf } = await seed(store);
  for (let i = 0; i < 200; i++) await oneRun(store, ws, wf, payload1k()); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await oneRun(store, ws, wf, payload1k(), latencies);
    }
  };
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const perSecond = total / (ms(start) / 1000);
  const cpu = process.cpuUsage(cpuStart);
  // Under contention (a shared machine) wall time understates one core: also report runs per CPU-second used.
  const perCpuSecond = total / ((cpu.user + cpu.system) / 1e6);
  rows.push({ metric: `runs/s, ${inFlight} in flight (create, running, 3 steps start+finish, finish)`, measured: perSecond.toFixed(0), target: '>= 5000', pass: perSecond >= 5000 });
  rows.push({ metric: `  same, per CPU-second of this process`, measured: perCpuSecond.toFixed(0), target: '>= 5000', pass: perCpuSecond >= 5000 });
  rows.push({ metric: `  step write latency p99 (ms), ${inFlight} in flight`, measured: quantile(latencies, 0.99).toFixed(3), target: '-', pass: null });
  await store.close();
}

async function bytesPerRun(): Promise<void> {
  const file = join(dir, 'size.db');
  const store = createSqliteStore({ file, encryptionKey: key });
  const { ws, wf } = await seed(store);
  const raw = new Database(file);
  const size = () => {
    raw.pragma('wal_checkpoint(TRUNCATE)');
    return (raw.pragma('page_count', { simple: true }) as number) * (raw.pragma('page_size', { simple: true }) as number);
  };
  for (let i = 0; i < 100; i++) await oneRun(store, ws, wf, payload1k());
  const before = size();
  for (let i = 0; i < SIZE_RUNS; i++) await oneRun(store, ws, wf, payload1k());
  const perRun = (size() - before) / SIZE_RUNS;
  rows.push({ metric: 'bytes stored per 3-step run, 1 KB trigger payload', measured: perRun.toFixed(0), target: '<= 4096', pass: perRun <= 4096 });
  raw.close();
  await store.close();
}

/** Bulk-loads `n` finished runs straight into the table (one transaction), the way a migration would. */
function bulkLoad(file: string, ws: string, workflows: string[], n: number): void {
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO runs (workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, attempt, queued_at, started_at, finished_at, duration_ms)
    VALUES (?, ?, ?, 1, ?, 'webhook', '{"type":"webhook","source":"/webhook/bench","payload":{"n":1}}', 1, ?, ?, ?, 12)`);
  const statuses = ['completed', 'completed', 'completed', 'failed', 'cancelled'];
  const base = Date.UTC(2025, 0, 1);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = new Date(base + i * 1000).toISOString();
      insert.run(ws, randomUUID(), workflows[i % workflows.length], statuses[Math.floor(i / workflows.length) % statuses.length], at, at, at);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function listQuery(): Promise<void> {
  const file = join(dir, 'list.db');
  let store = createSqliteStore({ file, encryptionKey: key });
  const { ws } = await seed(store);
  const workflows = Array.from({ length: 20 }, (_, i) => `wf-${i}`);
  await store.close();
  const loadStart = process.hrtime.bigint();
  bulkLoad(file, ws, workflows, LIST_ROWS);
  const loadSeconds = ms(loadStart) / 1000;
  rows.push({ metric: `bulk load of ${LIST_ROWS} runs (s, one transaction)`, measured: loadSeconds.toFixed(1), target: '-', pass: null });
  store = createSqliteStore({ file, encryptionKey: key });
  const statuses = ['completed', 'failed', 'cancelled'] as const;
  const latencies: number[] = [];
  for (let i = 0; i < 1100; i++) {
    const t = process.hrtime.bigint();
    const page = await store.runs.listRuns(ws, { workflowId: workflows[i % workflows.length]!, status: statuses[i % statuses.length]!, limit: 50 });
    if (i >= 100) latencies.push(ms(t)); // the first 100 warm the page cache
    if (page.items.length !== 50) throw new Error(`expected a full page, got ${page.items.length}`);
  }
  const p99 = quantile(latencies, 0.99);
  rows.push({ metric: `run list p99 (ms), first page by workflow+status, ${LIST_ROWS} runs`, measured: p99.toFixed(3), target: '<= 20', pass: p99 <= 20 });
  rows.push({ metric: 'run list p50 (ms)', measured: quantile(latencies, 0.5).toFixed(3), target: '-', pass: null });
  const unfiltered: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await store.runs.listRuns(ws, { limit: 50 });
    unfiltered.push(ms(t));
  }
  rows.push({ metric: 'run list p99 (ms), first page unfiltered', measured: quantile(unfiltered, 0.99).toFixed(3), target: '-', pass: null });
  // The bulk rows span LIST_ROWS seconds from 2025-01-01: a window ending right after them covers every run.
  const now = new Date(Date.UTC(2025, 0, 1) + LIST_ROWS * 1000 + 60_000);
  const days = Math.ceil(LIST_ROWS / 86_400) + 1;
  for (const [label, query] of [
    ['one workflow', { workflowId: workflows[0]!, days, now }],
    ['whole workspace', { days, now }],
  ] as const) {
    const t = process.hrtime.bigint();
    const stats = await store.runs.getRunStats(ws, query);
    rows.push({ metric: `run stats (ms), ${label}: ${stats.totalRuns} runs, p95 + per-day`, measured: ms(t).toFixed(1), target: '-', pass: null });
  }
  await store.close();
}

try {
  await throughput(1, Math.max(500, Math.floor(RUNS / 5)));
  await throughput(CONCURRENCY, RUNS);
  await bytesPerRun();
  await listQuery();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.metric.length));
console.log(`\nSQLite store benchmark (WAL, synchronous=NORMAL; node ${process.version})\n`);
console.log(`${'metric'.padEnd(width)} | ${'measured'.padStart(10)} | ${'target'.padStart(8)} | result`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(10)}-|-${'-'.repeat(8)}-|-------`);
for (const r of rows) console.log(`${r.metric.padEnd(width)} | ${r.measured.padStart(10)} | ${r.target.padStart(8)} | ${r.pass === null ? '' : r.pass ? 'PASS' : 'MISS'}`);
