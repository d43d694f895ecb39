/** Load generation for the runner benchmark: closed-loop max throughput and an open-loop fixed rate. */
import { createRunLifecycle, workspaceChannel, type EventBus, type RunQueue } from '@outrun/queue';
import type { RunStore } from '@outrun/store';
import type { Workflow } from '@outrun/schemas';

export interface LoadTarget {
  runs: RunStore;
  queue: RunQueue;
  /** The bus the runners publish terminal statuses on. */
  events: EventBus;
  workflow: Workflow;
}

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/** Tracks started runs until their terminal status event arrives. */
async function tracker(target: LoadTarget) {
  const pending = new Map<string, { t0: number; done: (ok: boolean) => void }>();
  const early = new Map<string, boolean>();
  const unsubscribe = await target.events.subscribe(workspaceChannel(target.workflow.workspaceId), (m) => {
    const e = m as { type?: string; runId?: string; status?: string };
    if (e.type !== 'status' || !e.runId || (e.status !== 'completed' && e.status !== 'failed' && e.status !== 'cancelled')) return;
    const entry = pending.get(e.runId);
    if (!entry) return void early.set(e.runId, e.status === 'completed');
    pending.delete(e.runId);
    entry.done(e.status === 'completed');
  });
  let n = 0;
  const lifecycle = createRunLifecycle({ store: { runs: target.runs }, queue: target.queue });
  const start = async (): Promise<{ ok: boolean; ms: number }> => {
    const t0 = performance.now();
    const i = n++;
    const { run } = await lifecycle.accept(target.workflow.workspaceId, {
      workflowId: target.workflow.id,
      workflowVersion: target.workflow.version,
      triggeredBy: { type: 'manual', source: 'bench', triggerId: target.workflow.triggers[0]!.id, payload: { i, value: 6 + (i % 10) } },
    });
    const ok = await new Promise<boolean>((resolve) => {
      const seen = early.get(run.id);
      if (seen !== undefined) {
        early.delete(run.id);
        return resolve(seen);
      }
      pending.set(run.id, { t0, done: resolve });
    });
    return { ok, ms: performance.now() - t0 };
  };
  return { start, stop: unsubscribe, pending };
}

function summarise(latencies: number[], failed: number, seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return { completed: latencies.length, failed, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Keeps `inFlight` runs outstanding for `seconds`; counts runs completed inside the window. */
export async function closedLoop(target: LoadTarget, seconds: number, inFlight: number): Promise<LoadResult> {
  const t = await tracker(target);
  const latencies: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const r = await t.start();
      if (performance.now() > end) break;
      if (r.ok) latencies.push(r.ms);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await t.stop();
  return summarise(latencies, failed, seconds);
}

/** Starts runs at `rate` per second for `seconds` (open loop) and waits for them to finish. */
export async function fixedRate(target: LoadTarget, seconds: number, rate: number): Promise<LoadResult> {
  const t = await tracker(target);
  const latencies: number[] = [];
  const all: Array<Promise<void>> = [];
  const t0 = performance.now();
  let issued = 0;
  const total = Math.round(seconds * rate);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      for (; issued < due; issued++) all.push(t.start().then((r) => void (r.ok && latencies.push(r.ms))));
      if (issued >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, 30_000))]);
  await t.stop();
  // Runs not finished 30 s after the last start count as failed.
  return summarise(latencies, total - latencies.length, seconds);
}
