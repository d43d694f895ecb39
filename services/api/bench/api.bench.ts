/**
 * Gateway throughput on the embedded stack (SQLite file + in-process queue), measured with autocannon:
 * authenticated reads, manual run starts (record + enqueue), and the webhook proxy hop.
 * Run: `npx tsx services/api/bench/api.bench.ts` (prints figures next to the targets; noisy on shared machines).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { startApi, simpleWorkflow } from '../test/api-harness';

interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no types: a narrow typed view of its callback API.
const autocannonCb = createRequire(import.meta.url)('autocannon') as (o: LoadOptions & { connections: number; duration: number }, cb: (err: Error | null, r: LoadResult) => void) => unknown;
const autocannon = (o: LoadOptions & { connections: number; duration: number }) =>
  new Promise<LoadResult>((resolve, reject) => {
    autocannonCb(o, (err, r) => (err ? reject(err) : resolve(r)));
  });

interface Case {
  name: string;
  target: string;
  ok: (r: LoadResult) => boolean;
  opts: LoadOptions;
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

async function main(): Promise<void> {
  const upstream = createServer((_req, res) => {
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"runId":"r"}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const h = await startApi({ listenerUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, sseHeartbeatMs: 15_000 });
  h.deps.logger.level = 'silent';
  const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('bench', 'bench-manual'));
  const auth = { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' };
  const cases: Case[] = [
    {
      name: 'GET workflow (auth + store read)', target: '≥ 1500 req/s, p99 ≤ 50 ms',
      ok: (r) => r.requests.average >= 1500 && r.latency.p99 <= 50,
      opts: { url: `${h.baseUrl}/api/workspaces/${h.ws}/workflows/${wf.id}`, headers: auth },
    },
    {
      name: 'POST manual run (record + enqueue)', target: '≥ 500 req/s, p99 ≤ 100 ms',
      ok: (r) => r.requests.average >= 500 && r.latency.p99 <= 100,
      opts: { url: `${h.baseUrl}/api/workspaces/${h.ws}/workflows/${wf.id}/runs`, method: 'POST', headers: auth, body: '{"payload":{"n":1}}' },
    },
    {
      name: 'POST /webhook/* proxy hop', target: '≥ 2000 req/s, p99 ≤ 30 ms',
      ok: (r) => r.requests.average >= 2000 && r.latency.p99 <= 30,
      opts: { url: `${h.baseUrl}/webhook/${h.ws}/hook`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
    },
  ];
  process.stdout.write(`api gateway bench — ${DURATION}s per case, 20 connections, embedded SQLite + memory queue\n`);
  for (const c of cases) {
    await autocannon({ ...c.opts, connections: 20, duration: 1 }); // warm-up (JIT, statement cache, sockets)
    const r = await autocannon({ ...c.opts, connections: 20, duration: DURATION });
    const errors = r.non2xx + r.errors;
    process.stdout.write(
      `${c.ok(r) ? 'PASS' : 'MISS'}  ${c.name.padEnd(38)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${errors}   target ${c.target}\n`,
    );
  }
  await h.close();
  upstream.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
