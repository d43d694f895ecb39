/**
 * `npx tsx bench/dist-cost.ts [--runs=2000] [--runners=1] [--in-flight=20] [--direct] [--prof=<dir>]` — the cost
 * per run of the distributed path, in figures a loaded machine does not distort: Redis commands per run by kind
 * (client round trips vs commands run inside Lua scripts, from `MONITOR`; totals from `INFO commandstats`), SQLite
 * statements per run in each process, and CPU µs per run in each process. A private `redis-server` (nothing else
 * counted), api + listener + N runners as in `e2e-distributed`; a fixed number of reference webhooks through the
 * public URL (or `--direct` to the listener), after a warm-up; counted from the first webhook until every run
 * finished. Time-driven work in that window (stalled checks, lock renewals, lease renewals) is part of the figure.
 * Docs: docs/performance.md "Distributed: cost per run".
 */
import { readFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startRedisServer } from '@outrun/testing/redis';
import { startDistributedStack, type DistributedStack } from './distributed-stack';
import { readRunOutcome } from './run-outcome';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const RUNS = Number(arg('runs', '2000'));
const RUNNERS = Number(arg('runners', '1'));
const IN_FLIGHT = Number(arg('in-flight', '20'));
const DIRECT = process.argv.includes('--direct');
const PROF = arg('prof', '');
const WARMUP = 200;
const counter = fileURLToPath(new URL('./sqlite-statement-counter.mjs', import.meta.url));

interface ProcessSnapshot { cpuUs: number; statements: Record<string, number> }

/** Asks every service for its counters (SIGUSR2) and reads them once written. */
async function snapshot(stack: DistributedStack, dir: string): Promise<Map<number, ProcessSnapshot>> {
  const asked = Date.now();
  for (const s of stack.services) s.child.kill('SIGUSR2');
  const result = new Map<number, ProcessSnapshot>();
  for (const s of stack.services) {
    const file = join(dir, `${s.child.pid}.json`);
    for (let i = 0; ; i++) {
      const data = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProcessSnapshot & { at: number }) : undefined;
      if (data && data.at >= asked) {
        result.set(s.child.pid!, data);
        break;
      }
      if (i > 100) throw new Error(`no counters from ${s.name}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return result;
}

async function send(url: string, count: number): Promise<number> {
  let next = 0;
  let accepted = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' });
      await res.arrayBuffer();
      if (res.ok) accepted++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return accepted;
}

async function drain(stack: DistributedStack, expected: number): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    const o = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    if (o.recorded >= expected && o.unfinished === 0) return;
    if (Date.now() > until) throw new Error(`not drained: ${JSON.stringify(o)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const commandStats = (info: string) =>
  Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));

async function main() {
  const redisServer = await startRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'outrun-dist-cost-'));
  const nodeArgs = ['--import', counter, ...(PROF ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`] : [])];
  const stack = await startDistributedStack({ runners: RUNNERS, redisUrl: redisServer.url, nodeArgs, env: { OUTRUN_STMT_COUNT_DIR: dir } });
  const admin = new Redis(redisServer.url);
  const monitor = new Redis(redisServer.url);
  try {
    const url = DIRECT ? stack.listenerWebhookUrl : stack.webhookUrl;
    await send(url, WARMUP);
    await drain(stack, WARMUP);
    const before = await snapshot(stack, dir);
    const client = new Map<string, number>();
    const inScripts = new Map<string, number>();
    const inMulti = new Set<string>();
    let roundTrips = 0;
    const mon = await monitor.monitor();
    mon.on('monitor', (_time: string, args: string[], source: string) => {
      const name = String(args[0]).toLowerCase();
      if (source === 'lua') return void inScripts.set(name, (inScripts.get(name) ?? 0) + 1);
      client.set(name, (client.get(name) ?? 0) + 1);
      // A MULTI … EXEC block is sent at once: one round trip, counted at its EXEC.
      if (name === 'multi') inMulti.add(source);
      else if (name === 'exec') {
        inMulti.delete(source);
        roundTrips++;
      } else if (!inMulti.has(source)) roundTrips++;
    });
    await admin.config('RESETSTAT');
    const load = loadavg()[0]!;
    const accepted = await send(url, RUNS);
    await drain(stack, WARMUP + RUNS);
    const stats = commandStats(await admin.info('commandstats'));
    await mon.disconnect();
    const after = await snapshot(stack, dir);
    delete stats['info'];
    delete stats['config'];
    delete stats['monitor'];
    client.delete('info');
    client.delete('config');
    const per = (n: number) => Math.round((n / RUNS) * 100) / 100;
    const sorted = (m: Map<string, number> | Record<string, number>) =>
      Object.fromEntries(Object.entries(m instanceof Map ? Object.fromEntries(m) : m).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)]));
    const processes = stack.services.map((s) => {
      const a = after.get(s.child.pid!)!;
      const b = before.get(s.child.pid!)!;
      const statements: Record<string, number> = {};
      for (const [k, v] of Object.entries(a.statements)) if (v - (b.statements[k] ?? 0) > 0) statements[k] = v - (b.statements[k] ?? 0);
      const total = Object.values(statements).reduce((x, y) => x + y, 0);
      return { name: s.name, cpuUsPerRun: Math.round((a.cpuUs - b.cpuUs) / RUNS), statementsPerRun: per(total), statements: sorted(statements) };
    });
    const outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    console.log(JSON.stringify({
      runs: RUNS, accepted, runners: RUNNERS, via: DIRECT ? 'listener' : 'gateway', load1: load,
      correctness: { failed: outcome.failed, runsMissingSteps: outcome.runsMissingSteps, sinkRepeatedRuns: outcome.sinkRepeatedRuns },
      redis: {
        commandsPerRun: per(Object.values(stats).reduce((x, y) => x + y, 0)),
        clientCommandsPerRun: per(sum(client)),
        roundTripsPerRun: per(roundTrips),
        insideScriptsPerRun: per(sum(inScripts)),
        client: sorted(client),
        insideScripts: sorted(inScripts),
        commandstats: sorted(stats),
      },
      processes,
    }, null, 2));
  } finally {
    admin.disconnect();
    monitor.disconnect();
    // A profile is written at a clean exit only.
    if (PROF) await Promise.all(stack.services.map((s) => s.stop(15_000)));
    await stack.close();
    await redisServer.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
