/**
 * CPU per refused webhook (docs/performance.md#overload): the embedded stack with its backlog held full (mark 1,
 * one runner slot busy on a sink that never answers in time), 50 connections flat out for `seconds`, and the stack
 * process's CPU time (utime + stime from /proc) divided by the refusals it answered. CPU time, not wall clock: a
 * loaded machine stretches the run but barely changes what each refusal costs.
 * `npx tsx bench/refusal-cost.ts [seconds=10] [treeRoot=.]` — the stack runs from `treeRoot` as
 * `node --import tsx scripts/start.ts` (so an older tree can be compared, from source, with this one).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflowApi } from '@outrun/client';
import { startHttpSink } from '@outrun/testing/http-sink';
import { freePort } from '@outrun/testing/redis';
import { runAutocannon } from '../services/listener/bench/run-autocannon';

const here = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.argv[2] ?? 10);
const tree = resolve(process.argv[3] ?? here);
const CLK_TCK = 100;

/** CPU seconds (user + system) of one process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const dataDir = await mkdtemp(join(tmpdir(), 'outrun-refusal-cost-'));
const sink = await startHttpSink({ delayMs: 120_000 });
const adminToken = randomBytes(24).toString('hex');
const api = await freePort();
// REFUSAL_NODE_FLAGS: extra node flags for the stack (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
const child = spawn(process.execPath, [...(process.env.REFUSAL_NODE_FLAGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', 'scripts/start.ts'], {
  cwd: tree,
  stdio: ['ignore', 'ignore', 'pipe'],
  env: {
    ...process.env, OUTRUN_WEB_MODE: 'off', OUTRUN_DATA_DIR: dataDir, OUTRUN_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn',
    OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`, API_PORT: String(api), LISTENER_PORT: String(await freePort()), RUNNER_PORT: String(await freePort()),
    OUTRUN_BACKLOG_HIGH_WATER: '1', RUNNER_CONCURRENCY: '1',
    OUTRUN_WEBHOOK_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_RATE_LIMIT_BURST: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST: '1000000',
  },
});
let stderr = '';
child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
const base = `http://127.0.0.1:${api}`;
try {
  const deadline = Date.now() + 120_000;
  while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the stack did not become ready:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('refusals', adminToken);
  const client = createWorkflowApi({ baseUrl: base, apiKey });
  const reference = JSON.parse(readFileSync(join(here, 'bench', 'reference-workflow.json'), 'utf8').replaceAll('{{SINK_URL}}', sink.url)) as { workflow: Parameters<typeof client.createWorkflow>[1] };
  const wf = await client.createWorkflow(workspace.id, reference.workflow);
  await client.activateWorkflow(workspace.id, wf.id);
  const url = `${base}/webhook/${workspace.id}/reference-hook`;
  // Fill: one run holds the only runner slot (its sink call hangs), the next waits: the backlog is at the mark.
  for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' }).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 500));
  // The stack's own idle CPU over as long (timers, polls), subtracted from what the load costs.
  const idleFrom = cpuSeconds(child.pid!);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const idle = cpuSeconds(child.pid!) - idleFrom;
  const before = cpuSeconds(child.pid!);
  const result = await runAutocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}', connections: 50, duration: seconds });
  const cpu = cpuSeconds(child.pid!) - before;
  const refused = result.statusCodeStats['503']?.count ?? 0;
  const others = Object.entries(result.statusCodeStats).filter(([code]) => code !== '503').map(([code, { count }]) => `${code}×${count}`).join(' ') || 'none';
  process.stdout.write(`tree ${tree}; ${seconds} s, 50 connections; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`refused ${refused} (${(refused / seconds).toFixed(0)}/s; other answers: ${others}); stack CPU ${cpu.toFixed(2)} s = ${((cpu / seconds) * 100).toFixed(0)} % of a core (idle: ${idle.toFixed(2)} s); ${refused > 0 ? (((cpu - idle) * 1e6) / refused).toFixed(0) : '—'} µs CPU above idle per refusal\n`);
} finally {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await sink.close();
  await rm(dataDir, { recursive: true, force: true });
}
