/**
 * The `e2e-embedded` scenario: `npm start` (web app off, ephemeral ports, a fresh data dir) driven with the reference
 * workload of bench/reference-workflow.json through the gateway's public webhook URL, then checked for correctness
 * by reading the SQLite file and the sink's requests.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteDriver as Database } from '@outrun/store/sqlite';
import { createWorkflowApi } from '@outrun/client';
import { startHttpSink } from '@outrun/testing/http-sink';
import { freePort } from '@outrun/testing/redis';
import { runAutocannon } from '../services/listener/bench/run-autocannon';
import { runPacedLoad } from './paced-load';
import { treeRssMb } from './process-rss';
import { percentile, readRunOutcome } from './run-outcome';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface E2eResult {
  accepted: number;
  acceptedPerSecond: number;
  completedPerSecondDuringLoad: number;
  sustainedPerSecond: number;
  drainSeconds: number;
  peakRssMb: number;
  recorded: number;
  failed: number;
  lost: number;
  duplicated: number;
  runsMissingSteps: number;
  /** Webhooks answered 503 (backlog at its high-water mark): refused, never recorded. */
  refused: number;
  /** Runs completed per second from the first 503 to the end of the load (0 when nothing was refused). */
  completedPerSecondWhileRefusing: number;
  /** Seconds of the load during which webhooks were being refused (from the first 503). */
  refusingSeconds: number;
  /** Runs completed per second after the load stopped (nothing else competing: the capacity). */
  drainPerSecond: number;
  /** Runs that finished after the load stopped (what `drainPerSecond` is measured over). */
  drainedRuns: number;
  /** RSS (MB) of the stack (the `npm start` wrapper left out) once ready and idle for 3 s, before any workflow. */
  idleRssMb: number;
  /** Peak RSS (MB) of the stack, the `npm` wrapper left out (peakRssMb includes it). */
  peakStackRssMb: number;
  /** Webhook accepted (run recorded: queued_at) → run completed (finished_at), completed runs, ms. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Of that, accepted (queued_at) → taken by a runner (started_at), p50, ms: the time spent in the queue. */
  waitP50Ms: number;
}

export interface E2eOptions {
  /** OUTRUN_BACKLOG_HIGH_WATER of the stack; 0 = no mark (the backlog grows with the overload). @default 0 */
  backlogHighWater?: number;
  /** OUTRUN_RUNNER_THREAD: runs execute in a worker thread (the second core). @default false */
  runnerThread?: boolean;
  /** A steady total rate (requests/s over all connections) instead of a closed loop. @default closed loop */
  rate?: number;
}

export async function runE2eEmbedded(seconds: number, connections: number, options: E2eOptions = {}): Promise<E2eResult> {
  const reference = JSON.parse(readFileSync(join(root, 'bench', 'reference-workflow.json'), 'utf8')) as { workflow: unknown };
  const dataDir = await mkdtemp(join(tmpdir(), 'outrun-bench-e2e-'));
  const sink = await startHttpSink();
  const adminToken = randomBytes(24).toString('hex');
  const ports = { web: await freePort(), api: await freePort(), runner: await freePort(), listener: await freePort() };
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      OUTRUN_WEB_MODE: 'off', OUTRUN_DATA_DIR: dataDir, OUTRUN_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn',
      OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`,
      WEB_PORT: String(ports.web), API_PORT: String(ports.api), RUNNER_PORT: String(ports.runner), LISTENER_PORT: String(ports.listener),
      // Overload is the point of the bench: the webhook rate limits would measure themselves instead.
      OUTRUN_BACKLOG_HIGH_WATER: String(options.backlogHighWater ?? 0),
      OUTRUN_RUNNER_THREAD: String(options.runnerThread ?? false),
      OUTRUN_WEBHOOK_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_RATE_LIMIT_BURST: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST: '1000000',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${ports.api}`;
  try {
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    const idleRssMb = treeRssMb(child.pid!, true);
    const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('bench', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });
    const workflow = JSON.parse(JSON.stringify(reference.workflow).replaceAll('{{SINK_URL}}', sink.url)) as Parameters<typeof api.createWorkflow>[1];
    const wf = await api.createWorkflow(workspace.id, workflow);
    await api.activateWorkflow(workspace.id, wf.id);

    let peak = treeRssMb(child.pid!);
    let peakStack = treeRssMb(child.pid!, true);
    const sampler = setInterval(() => {
      peak = Math.max(peak, treeRssMb(child.pid!));
      peakStack = Math.max(peakStack, treeRssMb(child.pid!, true));
    }, 500);
    const started = Date.now();
    let firstRefusalAt: number | undefined;
    const url = `${base}/webhook/${workspace.id}/reference-hook`;
    const json = { headers: { 'content-type': 'application/json' }, body: '{"value":7}' };
    // A steady rate is paced evenly (paced-load.ts: autocannon's overallRate sends each second's share in a burst).
    const result = options.rate
      ? await runPacedLoad({ url, rate: options.rate, seconds, ...json })
      : await runAutocannon({
        url,
        method: 'POST',
        ...json,
        requests: [{ method: 'POST', ...json, onResponse: (status) => void (status === 503 && (firstRefusalAt ??= Date.now())) }],
        connections,
        duration: seconds,
      });
    const loadEnded = Date.now();
    const accepted = Object.entries(result.statusCodeStats).reduce((sum, [code, { count }]) => sum + (code.startsWith('2') ? count : 0), 0);
    const refused = result.statusCodeStats['503']?.count ?? 0;
    // Drain: until every accepted run made its sink call, or nothing moved for 30 s.
    let last = sink.requests.length;
    let lastMove = Date.now();
    while (sink.requests.length < accepted && Date.now() - lastMove < 30_000) {
      await new Promise((r) => setTimeout(r, 200));
      if (sink.requests.length !== last) [last, lastMove] = [sink.requests.length, Date.now()];
    }
    // Runs whose 202 autocannon cut off when it stopped are recorded too: wait for them as well (nothing moved for 30 s ends it).
    const dbPath = join(dataDir, 'outrun.db');
    for (let o = readRunOutcome(dbPath, wf.id, sink), moved = Date.now(), prev = o.unfinished; o.unfinished > 0 && Date.now() - moved < 30_000; o = readRunOutcome(dbPath, wf.id, sink)) {
      await new Promise((r) => setTimeout(r, 250));
      if (o.unfinished !== prev) [prev, moved] = [o.unfinished, Date.now()];
    }
    clearInterval(sampler);
    // (a loop: spreading 100,000+ arguments into Math.max overflows the stack)
    const lastCall = sink.requests.reduce((latest, r) => Math.max(latest, r.receivedAt), 0);
    const keys = sink.requests.map((r) => String(r.headers['idempotency-key']).split(':')[0]);
    const unique = new Set(keys).size;
    await new Promise((r) => setTimeout(r, 500)); // the final run status commits right after its last step
    const db = new Database(join(dataDir, 'outrun.db'), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get(wf.id) as { n: number }).n;
    const recorded = count('SELECT count(*) AS n FROM runs WHERE workflow_id = ?');
    const failed = count("SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND status = 'failed'");
    const completed = count("SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND status = 'completed'");
    // One record per node: trigger, score, check, post, and the untaken branch's noop as `skipped`.
    const missing = count('SELECT count(*) AS n FROM runs r WHERE workflow_id = ? AND (SELECT count(*) FROM run_steps s WHERE s.run_pk = r.pk) <> 5');
    // Completions by the store's finished_at (the sink shares this process's event loop with autocannon and hears
    // calls late while the load runs).
    const [startIso, endIso] = [new Date(started).toISOString(), new Date(loadEnded).toISOString()];
    const finishedDuringLoad = (db.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND finished_at >= ? AND finished_at <= ?').get(wf.id, startIso, endIso) as { n: number }).n;
    const refusingFrom = firstRefusalAt === undefined ? loadEnded : Math.min(firstRefusalAt, loadEnded);
    const finishedWhileRefusing = (db.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND finished_at >= ? AND finished_at <= ?').get(wf.id, new Date(refusingFrom).toISOString(), endIso) as { n: number }).n;
    const after = db.prepare('SELECT count(*) AS n, max(finished_at) AS last FROM runs WHERE workflow_id = ? AND finished_at > ?').get(wf.id, endIso) as { n: number; last: string | null };
    const times = db.prepare("SELECT queued_at AS q, started_at AS s, finished_at AS f FROM runs WHERE workflow_id = ? AND status = 'completed'").all(wf.id) as { q: string; s: string; f: string }[];
    const latencies = times.map((t) => Date.parse(t.f) - Date.parse(t.q)).sort((a, b) => a - b);
    const waits = times.map((t) => Date.parse(t.s) - Date.parse(t.q)).sort((a, b) => a - b);
    db.close();
    return {
      idleRssMb,
      peakStackRssMb: peakStack,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      waitP50Ms: percentile(waits, 50),
      accepted,
      acceptedPerSecond: accepted / seconds,
      completedPerSecondDuringLoad: finishedDuringLoad / seconds,
      refusingSeconds: (loadEnded - refusingFrom) / 1000,
      completedPerSecondWhileRefusing: loadEnded > refusingFrom ? finishedWhileRefusing / ((loadEnded - refusingFrom) / 1000) : 0,
      sustainedPerSecond: unique / ((lastCall - started) / 1000),
      drainSeconds: Math.max(0, (lastCall - loadEnded) / 1000),
      peakRssMb: peak,
      recorded,
      failed,
      // Accepted webhooks are a lower bound of recorded runs (autocannon drops answers still in flight when it stops).
      lost: Math.max(0, accepted - recorded) + (recorded - completed - failed),
      duplicated: keys.length - unique,
      runsMissingSteps: missing,
      refused,
      drainPerSecond: after.last ? after.n / ((Date.parse(after.last) - loadEnded) / 1000) : 0,
      drainedRuns: after.n,
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
