/**
 * `npx tsx services/listener/bench/schedule.bench.ts` — 1,000 schedules due in the same second.
 *
 * 1,000 active workflows, each with a `*\/5 * * * * *` schedule, on a SQLite file and BullMQ on the shared Redis
 * (unique prefix). The listener's single timer wheel fires them; after ROUNDS rounds the lag of every occurrence
 * is read back from the store (`queuedAt` − `scheduledAt`: the run was recorded and queued that long after due).
 * Target: p99 ≤ 100 ms.
 */
import { WorkflowInput } from '@outrun/schemas';
import { createBullmqQueue, createRedisEventBus } from '@outrun/queue/bullmq';
import { createLogger } from '@outrun/config';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { createListener } from '../src/index';

const SCHEDULES = Number(process.env.BENCH_SCHEDULES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const temp = await createTempSqliteStore();
  const prefix = uniquePrefix('sbench');
  const queue = createBullmqQueue({ connection: SHARED_REDIS_URL, prefix });
  const events = createRedisEventBus({ url: SHARED_REDIS_URL, prefix });
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
  const listener = await createListener({
    store: temp.store, queue, events, logger: createLogger({ name: 'bench', level: 'warn' }),
    options: { observeScheduleLag: (s, q) => { started.push(s); queued.push(q); } },
  });
  await listener.start();
  const startedAt = Date.now();
  const firstDue = Math.ceil((startedAt + 1) / 5000) * 5000;
  const expected = SCHEDULES * ROUNDS;
  const lags: number[] = [];
  try {
    const until = firstDue + (ROUNDS - 1) * 5000;
    for (;;) {
      const runs = [];
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await temp.store.runs.listRuns(ws, { limit: 500, ...(cursor ? { cursor } : {}) });
        runs.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      }
      const inWindow = runs.filter((r) => Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt) <= until);
      if (inWindow.length >= expected || Date.now() > until + 10_000) {
        const keys = new Set(inWindow.map((r) => r.idempotencyKey));
        if (keys.size !== inWindow.length) throw new Error('an occurrence fired twice');
        for (const r of inWindow) lags.push(Date.parse(r.queuedAt) - Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt));
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await listener.close();
    await Promise.allSettled([queue.close(), events.close()]);
    await cleanupPrefix(SHARED_REDIS_URL, prefix);
    await temp.cleanup();
  }
  const line = (label: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(`${label}: p50 ${percentile(sorted, 50)} ms, p99 ${p99} ms, max ${sorted[sorted.length - 1]} ms   target p99 ≤ 100 ms   ${p99 <= 100 ? 'MET' : 'NOT MET'}`);
  };
  console.log(`${SCHEDULES} schedules due together × ${ROUNDS} rounds (one timer wheel): ${lags.length}/${expected} occurrences fired, each exactly once`);
  line('due → fire started      ', started);
  line('due → run recorded (store queuedAt)', lags);
  line('due → run recorded AND job queued (BullMQ)', queued);
  if (lags.length < expected) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
