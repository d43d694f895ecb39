/**
 * `npm run bench:schedule` — 1,000 schedules due in the same second.
 *
 * 1,000 active workflows, each with a `*\/5 * * * * *` schedule, on a SQLite file and BullMQ on the shared Redis
 * (unique prefix). The listener's single timer wheel fires them, staging each occurrence `BENCH_LEAD_MS` ahead
 * (default: the listener's default, 1,000 ms; 0 records and queues at the due instant). A no-op consumer plays the
 * runner, so BullMQ promotes delayed jobs as a runner would.
 *
 * The target line is "due → job runnable": when each occurrence's job entered BullMQ's wait list, read from the
 * queue's own event stream (Redis server time of the `waiting` event). Target: p99 ≤ 100 ms.
 */
import { Redis } from 'ioredis';
import { WorkflowInput } from '@outrun/schemas';
import { createBullmqQueue, createRedisEventBus } from '@outrun/queue/bullmq';
import { createLogger } from '@outrun/config';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { createListener } from '../src/index';

const SCHEDULES = Number(process.env.BENCH_SCHEDULES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LEAD_MS = process.env.BENCH_LEAD_MS === undefined ? undefined : Number(process.env.BENCH_LEAD_MS);
const PERIOD_MS = 5000;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** Occurrence instant (epoch ms) per job id, for jobs whose run is known. */
type DueByJob = Map<string, number>;

/** Reads `waiting` events (job entered the wait list) from BullMQ's event stream since `after`. */
async function readWaitingEvents(redis: Redis, stream: string, after: string, into: Map<string, number>): Promise<string> {
  let last = after;
  for (;;) {
    const entries = await redis.xrange(stream, `(${last}`, '+', 'COUNT', 5000);
    if (entries.length === 0) return last;
    for (const [id, fields] of entries) {
      last = id;
      const get = (name: string) => fields[fields.indexOf(name) + 1];
      const jobId = get('jobId');
      if (get('event') === 'waiting' && jobId !== undefined && !into.has(jobId)) into.set(jobId, Number(id.split('-')[0]));
    }
  }
}

async function main(): Promise<void> {
  const temp = await createTempSqliteStore();
  const prefix = uniquePrefix('sbench');
  const queue = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
  const events = createRedisEventBus({ url: SHARED_REDIS_URL, prefix });
  const redis = new Redis(SHARED_REDIS_URL);
  const stream = `${prefix}:runs:events`;
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'sched-bench' })).id;
  for (let i = 0; i < SCHEDULES; i++) {
    const wf = await temp.store.workflows.createWorkflow(ws, WorkflowInput.parse({
      name: `s${i}`,
      nodes: [{ id: 'n1', type: 'set', position: { x: 0, y: 0 }, data: {} }],
      triggers: [{ id: `sched-${i}`, type: 'schedule', config: { cron: '*/5 * * * * *', timezone: 'UTC', catchUp: 'none' } }],
    }));
    await temp.store.workflows.setWorkflowStatus(ws, wf.id, 'active');
  }
  const started: number[] = [];
  const queued: number[] = [];
  const pickedUp = new Map<string, number>();
  const consumer = await queue.consume(async ({ jobId }) => {
    pickedUp.set(jobId, Date.now());
    return { type: 'done' };
  }, { concurrency: 64 });
  const listener = await createListener({
    store: temp.store, queue, events, logger: createLogger({ name: 'bench', level: 'warn' }),
    options: { observeScheduleLag: (s, q) => { started.push(s); queued.push(q); }, ...(LEAD_MS === undefined ? {} : { scheduleLeadMs: LEAD_MS }) },
  });
  await listener.start();
  // The first occurrence at least 2 s away, so every round is staged in full.
  const firstDue = Math.ceil((Date.now() + 2000) / PERIOD_MS) * PERIOD_MS;
  const until = firstDue + (ROUNDS - 1) * PERIOD_MS;
  const expected = SCHEDULES * ROUNDS;
  const waitingAt = new Map<string, number>();
  const dueByJob: DueByJob = new Map();
  let cursor = '0-0';
  try {
    while (Date.now() < until + 2000) {
      await new Promise((r) => setTimeout(r, 1000));
      cursor = await readWaitingEvents(redis, stream, cursor, waitingAt); // the stream is capped: read as we go
    }
    const runs = [];
    for (let page: string | undefined, first = true; first || page; first = false) {
      const result = await temp.store.runs.listRuns(ws, { limit: 500, ...(page ? { cursor: page } : {}) });
      runs.push(...result.items);
      page = result.nextCursor ?? undefined;
    }
    const inWindow = runs.filter((r) => {
      const due = Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt);
      return due >= firstDue && due <= until;
    });
    if (new Set(inWindow.map((r) => r.idempotencyKey)).size !== inWindow.length) throw new Error('an occurrence fired twice');
    for (const r of inWindow) {
      const due = Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt);
      dueByJob.set(r.resumeAt === undefined ? r.id : `${r.id}:resume:${due}`, due);
    }
  } finally {
    await listener.close();
    await consumer.close();
    await Promise.allSettled([queue.close(), events.close()]);
    await cleanupPrefix(SHARED_REDIS_URL, prefix);
    redis.disconnect();
    await temp.cleanup();
  }
  const lags = (times: Map<string, number>) => [...dueByJob].flatMap(([jobId, due]) => (times.has(jobId) ? [times.get(jobId)! - due] : []));
  const runnable = lags(waitingAt);
  const picked = lags(pickedUp);
  const line = (label: string, values: number[], target?: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const verdict = target === undefined ? '' : `   target p99 ≤ ${target} ms   ${p99 <= target && values.length === expected ? 'MET' : 'NOT MET'}`;
    console.log(`${label.padEnd(58)} p50 ${percentile(sorted, 50)} ms, p99 ${p99} ms, max ${sorted[sorted.length - 1]} ms (${values.length})${verdict}`);
  };
  console.log(`${SCHEDULES} schedules due together × ${ROUNDS} rounds, lead ${LEAD_MS ?? 'default (1000)'} ms: ${dueByJob.size}/${expected} occurrences recorded, each exactly once`);
  console.log('(negative = that long before the due instant)');
  line('due → staging started', started.slice(-expected));
  line('due → run recorded and job queued', queued.slice(-expected));
  line('due → job runnable (BullMQ wait list, Redis event time)', runnable, 100);
  line('due → picked up by one no-op consumer (64 at once)', picked);
  if (runnable.length < expected) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
