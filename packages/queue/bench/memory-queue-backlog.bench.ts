/**
 * The embedded queue with a deep backlog: `N` start jobs enqueued at once (what a webhook burst past the runner
 * leaves with the high-water mark off), then drained by one consumer (concurrency 64, a handler that finishes at
 * once). Prints µs per job for the drain: the queue's own cost of taking the next waiting job.
 *   npx tsx packages/queue/bench/memory-queue-backlog.bench.ts [N=60000]
 */
import { createMemoryQueue } from '../src/memory/memory-queue';
const N = Number(process.argv[2] ?? 60000);
const q = createMemoryQueue();
const t0 = performance.now();
for (let i = 0; i < N; i++) await q.enqueue({ kind: 'start', workspaceId: 'ws', runId: `run-${i}` });
const t1 = performance.now();
let done = 0;
await new Promise<void>((resolve) => {
  void q.consume(async () => { if (++done === N) setImmediate(resolve); return { type: 'done' }; }, { concurrency: 64 });
});
const t2 = performance.now();
process.stdout.write(`N=${N}: enqueue ${(t1 - t0).toFixed(0)} ms, drain ${(t2 - t1).toFixed(0)} ms = ${(((t2 - t1) * 1000) / N).toFixed(2)} µs/job\n`);
await q.close();
