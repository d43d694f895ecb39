/**
 * Soak benchmark (`npm run bench:soak`): 1,000,000 runs recorded the way the runner records them, with run
 * retention on (the documented defaults: 30 days, 100,000 runs per workspace) and the housekeeper running beside
 * the writers, as in production. Simulated time spreads the runs over 60 days, so both the age and the count limit
 * bite. Prints the database size (file + WAL) along the way — it must level off, not grow with the runs — the
 * write throughput and latency while retention deletes, and the whole-workspace statistics time over every run.
 * Options: --runs=N (default 1000000), --concurrency=N (runs in flight, default 32), --days=N (simulated span, default 60).
 * Not run by CI (≈ 5–8 minutes on the 2-core machine).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLimits, DEFAULT_LIMITS } from '@outrun/config';
import { WorkflowInput } from '@outrun/schemas';
import { startHousekeeper } from '@outrun/store/housekeeping';
import { createSqliteStore } from '@outrun/store/sqlite';

const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const RUNS = arg('runs', 1_000_000);
const CONCURRENCY = arg('concurrency', 32);
const DAYS = arg('days', 60);
const SAMPLE_EVERY = Math.max(1000, Math.floor(RUNS / 20));
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'outrun-soak-'));
const file = join(dir, 'outrun.db');
const start = Date.UTC(2026, 0, 1);
let simNow = start;
const stepMs = (DAYS * DAY) / RUNS;

const sizeOf = (f: string) => (existsSync(f) ? statSync(f).size : 0);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};

const store = createSqliteStore({ file, encryptionKey: randomBytes(32), clock: { now: () => simNow } });
const limits = createLimits(DEFAULT_LIMITS);
const housekeeper = startHousekeeper({ store, limits, intervalMs: 2000, clock: { now: () => simNow } });
const ws = (await store.workspaces.createWorkspace({ name: 'soak' })).id;
const wf = (await store.workflows.createWorkflow(ws, WorkflowInput.parse({ name: 'soak' }))).id;
const payload = { body: { lead: 'Ada Lovelace', company: 'Analytical Engines Ltd', employees: 250, note: 'x'.repeat(400) } };

/** One run: recorded, running, one step, finished — four writes, as the runner does them. */
async function oneRun(latencies: number[]): Promise<void> {
  simNow += stepMs;
  const at = new Date(simNow).toISOString();
  const { run } = await store.runs.createRun(ws, { workflowId: wf, workflowVersion: 1, triggeredBy: { type: 'webhook', source: '/webhook/soak', payload } });
  await store.runs.markRunning(ws, run.id, { attempt: 1, at });
  await store.runs.recordStepFinish(ws, run.id, { nodeId: 'score', nodeType: 'transform', status: 'completed', attempt: 1, finishedAt: at, duration: 3, output: { score: 90, class: 'hot_lead' } });
  const t = process.hrtime.bigint();
  await store.runs.finishRun(ws, run.id, { status: Math.random() < 0.1 ? 'failed' : 'completed', at: new Date(simNow + 40).toISOString(), usage: { aiTokensUsed: 12, estimatedCost: 0.001, webhooksCalled: 0, unpricedCalls: 0 } });
  latencies.push(ms(t));
}

console.log(`\nSoak: ${RUNS.toLocaleString('en')} runs over ${DAYS} simulated days, ${CONCURRENCY} in flight; retention ${DEFAULT_LIMITS.retentionDays} days / ${DEFAULT_LIMITS.retentionMaxRuns.toLocaleString('en')} runs (node ${process.version})\n`);
console.log('   runs done |   db MB |  WAL MB | runs kept | runs/s (window) | finish p99 ms | housekeeping ms');
let done = 0;
let peak = 0;
let peakDb = 0;
const sampleSizes: number[] = [];
const began = process.hrtime.bigint();
let windowStart = process.hrtime.bigint();
let window: number[] = [];
const reportRound = setInterval(() => undefined, 1 << 30); // keeps the loop alive while awaiting
try {
  const next = async (): Promise<void> => {
    while (done < RUNS) {
      const n = ++done;
      await oneRun(window);
      if (n % SAMPLE_EVERY === 0) {
        const t = process.hrtime.bigint();
        await housekeeper.runOnce(); // joins the timer's round when one is running
        const housekeepingMs = ms(t);
        const db = sizeOf(file);
        const wal = sizeOf(`${file}-wal`);
        peak = Math.max(peak, db + wal);
        peakDb = Math.max(peakDb, db);
        sampleSizes.push(db);
        const kept = await countRuns();
        const seconds = ms(windowStart) / 1000;
        console.log(`${n.toLocaleString('en').padStart(12)} | ${mb(db).padStart(7)} | ${mb(wal).padStart(7)} | ${kept.toLocaleString('en').padStart(9)} | ${(SAMPLE_EVERY / seconds).toFixed(0).padStart(15)} | ${quantile(window, 0.99).toFixed(2).padStart(13)} | ${housekeepingMs.toFixed(0).padStart(15)}`);
        window = [];
        windowStart = process.hrtime.bigint();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => next()));
  const total = ms(began) / 1000;
  await housekeeper.runOnce();
  const kept = await countRuns();
  // bytes per run before retention bites: growth between the first two samples
  const bytesPerRun = sampleSizes.length > 1 ? (sampleSizes[1]! - sampleSizes[0]!) / SAMPLE_EVERY : NaN;
  const statsTimes: Record<string, number[]> = { '30 days': [], '365 days': [] };
  let totalRuns = 0;
  for (let i = 0; i < 21; i++) {
    for (const [label, days] of [['30 days', 30], ['365 days', 365]] as const) {
      const t = process.hrtime.bigint();
      const stats = await store.runs.getRunStats(ws, { days, now: new Date(simNow) });
      if (i > 0) statsTimes[label]!.push(ms(t));
      if (days === 365) totalRuns = stats.totalRuns;
    }
  }
  const exact = process.hrtime.bigint();
  const one = await store.runs.getRunStats(ws, { workflowId: wf, days: 365, now: new Date(simNow) });
  const exactMs = ms(exact);
  console.log('');
  console.log(`elapsed                              ${total.toFixed(0)} s (${(RUNS / total).toFixed(0)} runs/s overall, housekeeping included)`);
  console.log(`database at the end                  ${mb(sizeOf(file))} MB + WAL ${mb(sizeOf(`${file}-wal`))} MB (peak file ${mb(peakDb)} MB, peak file + WAL ${mb(peak)} MB); runs kept ${kept.toLocaleString('en')}, deleted ${(RUNS - kept).toLocaleString('en')}`);
  console.log(`without retention (projected)        ${mb(bytesPerRun * RUNS)} MB (${bytesPerRun.toFixed(0)} B/run: file growth between the first two samples)`);
  console.log(`workspace stats from daily buckets   median ${quantile(statsTimes['30 days']!, 0.5).toFixed(2)} ms (30 days), ${quantile(statsTimes['365 days']!, 0.5).toFixed(2)} ms (365 days: ${totalRuns.toLocaleString('en')} runs counted) — target ≤ 50 ms`);
  console.log(`one workflow, exact over kept runs   ${exactMs.toFixed(0)} ms (${one.totalRuns.toLocaleString('en')} runs)`);
} finally {
  clearInterval(reportRound);
  await housekeeper.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function countRuns(): Promise<number> {
  // the newest finished run's rank is the number kept; count through the housekeeping port (no private access)
  let lo = 0;
  let hi = 1;
  while ((await store.housekeeping.finishedAtOfNth(ws, hi, 'newest')) !== null) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await store.housekeeping.finishedAtOfNth(ws, mid, 'newest')) !== null) lo = mid;
    else hi = mid;
  }
  return lo;
}
