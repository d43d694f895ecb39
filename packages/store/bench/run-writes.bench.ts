/**
 * `npx tsx packages/store/bench/run-writes.bench.ts [--runs=N] [--concurrency=N]` — CPU cost of the run writes on
 * the hot paths, on a real SQLite file (WAL, synchronous=NORMAL, group commit): `createRun` (each accepted
 * webhook), then `markRunning` + `finishRun` (each executed run). Prints µs of process CPU per call and calls/s;
 * CPU time per call is the figure to compare on a shared machine (wall rates move with everyone else's load).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowInput } from '@outrun/schemas';
import { createSqliteStore } from '@outrun/store/sqlite';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const RUNS = arg('runs', 20_000);
const CONCURRENCY = arg('concurrency', 64);
const dir = mkdtempSync(join(tmpdir(), 'outrun-run-writes-'));
const store = createSqliteStore({ file: join(dir, 'bench.db'), encryptionKey: randomBytes(32).toString('hex') });

/** Runs `op(i)` for i < n, `CONCURRENCY` at a time; returns CPU µs per call and calls per wall second. */
async function measure(n: number, op: (i: number) => Promise<unknown>): Promise<{ cpuUs: number; perSecond: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await op(next++);
  }));
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / n, perSecond: n / ((performance.now() - t0) / 1000) };
}

try {
  const ws = (await store.workspaces.createWorkspace({ name: 'bench' })).id;
  const wf = (await store.workflows.createWorkflow(ws, WorkflowInput.parse({ name: 'bench' }))).id;
  const payload = { event: 'lead.created', note: 'x'.repeat(900) };
  const create = () => store.runs.createRun(ws, { workflowId: wf, workflowVersion: 1, triggeredBy: { type: 'webhook', source: '/webhook/bench', payload } });
  await measure(2000, create); // warm-up: JIT, page cache
  const ids: string[] = [];
  const created = await measure(RUNS, async () => ids.push((await create()).run.id));
  const at = new Date().toISOString();
  const finished = await measure(RUNS, async (i) => {
    await store.runs.markRunning(ws, ids[i]!, { attempt: 1, at });
    await store.runs.finishRun(ws, ids[i]!, { status: 'completed', at: new Date().toISOString() });
  });
  const stats = await store.runs.getRunStats(ws, { days: 1 });
  console.log(`run writes on SQLite (node ${process.version}, ${RUNS} runs, ${CONCURRENCY} in flight, load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
  console.log(`createRun:              ${created.cpuUs.toFixed(1)} µs CPU/call, ${created.perSecond.toFixed(0)}/s`);
  console.log(`markRunning+finishRun:  ${finished.cpuUs.toFixed(1)} µs CPU/run, ${finished.perSecond.toFixed(0)}/s`);
  console.log(`stats check: totalRuns ${stats.totalRuns} (expected ${RUNS + 2000}), completed ${stats.successfulRuns} (expected ${RUNS})`);
  if (stats.totalRuns !== RUNS + 2000 || stats.successfulRuns !== RUNS) process.exitCode = 1;
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
