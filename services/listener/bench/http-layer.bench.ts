/**
 * `npx tsx services/listener/bench/http-layer.bench.ts` — Express vs plain node:http for the webhook route
 * (body read + JSON parse + 202 answer, no store). Each server runs in its own child process; autocannon,
 * 50 connections, 1 KB JSON. Prints req/s, latency and the server's CPU per request (from /proc), which is the
 * figure that survives contention on a shared machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAutocannon } from './run-autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SERVER = fileURLToPath(new URL('./http-layer-server.ts', import.meta.url));

function start(kind: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, kind], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /port=(\d+)/.exec(d.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(kind: string): Promise<{ rps: number; p50: number; p99: number; cpuUs: number }> {
  const { child, port } = await start(kind);
  const body = JSON.stringify({ event: 'lead.created', pad: 'x'.repeat(980) });
  const options = { url: `http://127.0.0.1:${port}/webhook/ws1/t1`, connections: 50, method: 'POST', headers: { 'content-type': 'application/json' }, body };
  try {
    await runAutocannon({ ...options, duration: 2 });
    const before = cpuMs(child.pid);
    const r = await runAutocannon({ ...options, duration: SECONDS });
    const cpuUs = ((cpuMs(child.pid) - before) * 1000) / Math.max(1, r.requests.total);
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
for (const kind of ['node', 'express', 'node', 'express']) {
  const r = await measure(kind);
  const prev = results[kind];
  // Best of two runs each, alternated, to damp the noise of a shared machine.
  if (!prev || r.cpuUs < prev.cpuUs) results[kind] = r;
}
for (const [kind, r] of Object.entries(results)) {
  console.log(`${kind.padEnd(8)} ${r.rps.toFixed(0)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  server CPU ${r.cpuUs.toFixed(1)} µs/request`);
}
const ratio = (results.express?.cpuUs ?? 0) / (results.node?.cpuUs ?? 1);
console.log(`Express costs ${ratio.toFixed(2)}× the CPU per request of plain node:http on this route (measured under contention).`);
