/**
 * One run's timeline on the webhook → run path (issue 20, latency): the in-process stack of `npm start`
 * (`createStack`: the services' own composition roots, SQLite, in-process queue), the reference workload at a low
 * steady rate (no backlog), each stage stamped with `performance.now()` by wrapping the store and queue the stack
 * was built on. `npx tsx bench/latency-trace.ts [runsPerSecond=5] [seconds=10]`
 *
 * Stages (each from the previous): sent → run recorded (createRun committed) → enqueued (handed to the queue) →
 * taken (the runner's first read of the run) → started (markRunning committed) → each step finished (recordStepFinish committed) →
 * finished (finishRun committed); and sent → 202 received. A fixed wait shows as a floor no load explains.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStack } from '@outrun/testing/stack';
import { startHttpSink } from '@outrun/testing/http-sink';
import { percentile } from './run-outcome';

const root = fileURLToPath(new URL('..', import.meta.url));
const rate = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 10);

type Stamps = Record<string, number>;
const byRun = new Map<string, Stamps>();
const stamp = (runId: string, stage: string) => {
  const s = byRun.get(runId) ?? {};
  s[stage] ??= performance.now();
  byRun.set(runId, s);
};

const dir = await mkdtemp(join(tmpdir(), 'outrun-latency-trace-'));
const sink = await startHttpSink();
const stack = await createStack({ file: join(dir, 'outrun.db'), encryptionKey: randomBytes(32).toString('hex') });
try {
  const { ws, api } = await stack.newWorkspace('trace');
  const reference = JSON.parse(readFileSync(join(root, 'bench', 'reference-workflow.json'), 'utf8').replaceAll('{{SINK_URL}}', sink.url)) as { workflow: Parameters<typeof api.createWorkflow>[1] };
  const wf = await api.createWorkflow(ws, reference.workflow);
  await api.activateWorkflow(ws, wf.id);

  // Stamps from the adapters the stack runs on (the same objects every service holds).
  const runs = stack.store.runs;
  const wrap = <K extends keyof typeof runs>(name: K, onDone: (args: Parameters<(typeof runs)[K]>, result: Awaited<ReturnType<(typeof runs)[K]>>) => void, onCall?: (args: Parameters<(typeof runs)[K]>) => void) => {
    const original = (runs[name] as (...a: unknown[]) => Promise<unknown>).bind(runs);
    (runs as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      onCall?.(args as Parameters<(typeof runs)[K]>);
      const result = await original(...args);
      onDone(args as Parameters<(typeof runs)[K]>, result as Awaited<ReturnType<(typeof runs)[K]>>);
      return result;
    };
  };
  wrap('createRun', (_a, r) => stamp(r.run.id, 'recorded'));
  wrap('getRun', () => undefined, ([, runId]) => byRun.get(runId)?.enqueued !== undefined && stamp(runId, 'taken'));
  wrap('markRunning', ([, runId]) => stamp(runId, 'started'));
  wrap('recordStepFinish', ([, runId, step]) => stamp(runId, `step ${step.nodeId}`));
  wrap('finishRun', ([, runId]) => stamp(runId, 'finished'));
  const queue = stack.opened.queue;
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = async (job, options) => {
    stamp(job.runId, 'enqueued'); // handed to the queue (the in-process queue may start it before enqueue returns)
    await enqueue(job, options);
  };

  const url = `${stack.baseUrl}/webhook/${ws}/reference-hook`;
  const sent: Array<{ at: number; runId: Promise<string>; answered: Promise<number> }> = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = started + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    const at = performance.now();
    const res = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' });
    const answered = res.then(() => performance.now());
    sent.push({ at, answered, runId: res.then(async (r) => ((await r.json()) as { runId: string }).runId) });
  }
  const deadline = performance.now() + 30_000;
  for (const s of sent) {
    const runId = await s.runId;
    while (byRun.get(runId)?.finished === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  const deltas = new Map<string, number[]>();
  const add = (name: string, ms: number) => deltas.set(name, [...(deltas.get(name) ?? []), ms]);
  for (const s of sent) {
    const runId = await s.runId;
    const st = byRun.get(runId);
    if (!st?.finished) continue;
    add('sent → 202 received', (await s.answered) - s.at);
    const order = Object.entries(st).sort((a, b) => a[1] - b[1]);
    let prev = ['sent', s.at] as [string, number];
    for (const [stage, t] of order) {
      add(`${prev[0]} → ${stage}`, t - prev[1]);
      prev = [stage, t];
    }
    add('sent → finished (total)', st.finished - s.at);
    add('recorded → started (in the queue)', st.started! - st.recorded!);
  }
  const f = (x: number) => x.toFixed(2);
  process.stdout.write(`${rate}/s for ${seconds} s; ${sent.length} sent; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write('| stage | p50 ms | p90 ms | max ms | n |\n|---|---|---|---|---|\n');
  for (const [name, values] of deltas) {
    const sorted = values.sort((a, b) => a - b);
    process.stdout.write(`| ${name} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 90))} | ${f(sorted[sorted.length - 1]!)} | ${sorted.length} |\n`);
  }
} finally {
  await stack.close();
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
