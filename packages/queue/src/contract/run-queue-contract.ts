/**
 * One behaviour suite for every `RunQueue` adapter (memory, BullMQ). Call it from a test file with a factory
 * that returns a fresh, isolated queue (and a cleanup) per test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobContext, RunQueue } from '../ports';
import { resumeJob, startJob } from '../run-job';

export interface QueueUnderTest {
  queue: RunQueue;
  cleanup(): Promise<void>;
}

/** Polls `check` until it is truthy or `ms` pass. */
export async function waitFor(check: () => boolean, ms = 8000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const job = (runId: string) => startJob({ workspaceId: 'ws1', runId });

export function runQueueContract(name: string, make: () => Promise<QueueUnderTest>): void {
  describe(`RunQueue contract: ${name}`, () => {
    let current: QueueUnderTest | undefined;
    const open = async () => (current = await make());
    afterEach(async () => {
      await current?.queue.close();
      await current?.cleanup();
      current = undefined;
    });

    it('delivers a job with the run id as job id, once, even when enqueued twice', async () => {
      const { queue } = await open();
      await queue.enqueue(job('r1'));
      await queue.enqueue(job('r1'));
      const seen: JobContext[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx), { type: 'done' }));
      await waitFor(() => seen.length >= 1, 8000, 'delivery');
      await queue.enqueue(job('r2'));
      await waitFor(() => seen.length >= 2, 8000, 'second delivery');
      expect(seen.map((s) => s.jobId)).toEqual(['r1', 'r2']);
      expect(seen[0]).toMatchObject({ job: job('r1'), deliveries: 1 });
    });

    it('enqueueMany adds a batch once per job id: existing ids and repeats in the batch are no-ops', async () => {
      const { queue } = await open();
      expect(queue.enqueueMany).toBeTypeOf('function');
      await queue.enqueue(job('r1'));
      await queue.enqueueMany!([{ job: job('r1') }, { job: job('r2') }, { job: job('r2') }, { job: resumeJob({ workspaceId: 'ws1', runId: 'r3' }, 1) }]);
      await queue.enqueueMany!([]);
      expect(await queue.counts()).toMatchObject({ waiting: 3, delayed: 0 });
      const seen: JobContext[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx), { type: 'done' }));
      await waitFor(() => seen.length >= 3, 8000, 'batch deliveries');
      await queue.enqueueMany!([{ job: job('r4'), options: { delayMs: 60_000 } }]);
      expect(await queue.counts()).toMatchObject({ delayed: 1 });
      expect(seen.map((s) => s.jobId).sort()).toEqual(['r1', 'r2', 'r3:resume:1']);
      expect(seen.find((s) => s.jobId === 'r3:resume:1')?.job).toEqual({ kind: 'resume', workspaceId: 'ws1', runId: 'r3', resumeAt: 1 });
    });

    it('runs distinct job ids of the same run separately', async () => {
      const { queue } = await open();
      const seen: string[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx.jobId), { type: 'done' }));
      await queue.enqueue(job('r1'));
      await queue.enqueue(resumeJob({ workspaceId: 'ws1', runId: 'r1' }, 1));
      await waitFor(() => seen.length === 2, 8000, 'both jobs');
      expect(seen.sort()).toEqual(['r1', 'r1:resume:1']);
    });

    it('holds a delayed job back for its delay', async () => {
      const { queue } = await open();
      const at: number[] = [];
      await queue.consume(async () => (at.push(Date.now()), { type: 'done' }));
      const t0 = Date.now();
      await queue.enqueue(job('late'), { delayMs: 400 });
      expect((await queue.counts()).delayed).toBe(1);
      await waitFor(() => at.length === 1, 8000, 'delayed delivery');
      expect(at[0]! - t0).toBeGreaterThanOrEqual(380);
    });

    it('holds a job with runAt back until that instant, however long the enqueue itself took', async () => {
      const { queue } = await open();
      const at: number[] = [];
      await queue.consume(async () => (at.push(Date.now()), { type: 'done' }));
      const runAt = Date.now() + 300;
      await new Promise((r) => setTimeout(r, 100)); // the producer was slow: runAt is absolute, not relative
      await queue.enqueueMany!([{ job: job('due'), options: { runAt } }]);
      await queue.enqueue(job('past'), { runAt: Date.now() - 1000 });
      await waitFor(() => at.length === 2, 8000, 'both delivered');
      expect(at.sort((a, b) => a - b)[1]! - runAt).toBeGreaterThanOrEqual(-5); // not early (clock granularity)
      expect(at[1]! - runAt).toBeLessThan(250); // and not 100 ms late
    });

    it('takes lower priority values first', async () => {
      const { queue } = await open();
      await queue.enqueue(job('p5'), { priority: 5 });
      await queue.enqueue(job('p1'), { priority: 1 });
      await queue.enqueue(job('p0'));
      expect((await queue.counts()).waiting).toBe(3);
      const seen: string[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx.jobId), { type: 'done' }), { concurrency: 1 });
      await waitFor(() => seen.length === 3, 8000, 'three jobs');
      expect(seen).toEqual(['p0', 'p1', 'p5']);
    });

    it('never runs more jobs at once than the concurrency', async () => {
      const { queue } = await open();
      let inFlight = 0;
      let max = 0;
      let done = 0;
      await queue.consume(
        async () => {
          inFlight += 1;
          max = Math.max(max, inFlight);
          await new Promise((r) => setTimeout(r, 60));
          inFlight -= 1;
          done += 1;
          return { type: 'done' };
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 9; i++) await queue.enqueue(job(`c${i}`));
      await waitFor(() => done === 9, 10_000, 'nine jobs');
      expect(max).toBe(3);
    });

    it('re-offers the same job after `retry`, with the delay', async () => {
      const { queue } = await open();
      const at: Array<{ jobId: string; t: number }> = [];
      await queue.consume(async (ctx) => {
        at.push({ jobId: ctx.jobId, t: Date.now() });
        return at.length === 1 ? { type: 'retry', delayMs: 300 } : { type: 'done' };
      });
      await queue.enqueue(job('again'));
      await waitFor(() => at.length === 2, 8000, 'redelivery');
      expect(at.map((a) => a.jobId)).toEqual(['again', 'again']);
      expect(at[1]!.t - at[0]!.t).toBeGreaterThanOrEqual(280);
    });

    it('cancel removes a waiting or delayed job', async () => {
      const { queue } = await open();
      await queue.enqueue(job('gone'), { delayMs: 200 });
      await queue.enqueue(job('gone-too'));
      await queue.cancel('gone');
      await queue.cancel('gone-too');
      await queue.enqueue(job('kept'), { delayMs: 500 });
      const seen: string[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx.jobId), { type: 'done' }));
      await waitFor(() => seen.includes('kept'), 8000, 'the kept job');
      expect(seen).toEqual(['kept']);
    });

    it('cancel aborts the signal of an active job in this process', async () => {
      const { queue } = await open();
      let reason: unknown;
      let started = false;
      await queue.consume(async (ctx) => {
        started = true;
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        reason = ctx.signal.reason;
        return { type: 'done' };
      });
      await queue.enqueue(job('busy'));
      await waitFor(() => started, 8000, 'start');
      await queue.cancel('busy');
      await waitFor(() => reason !== undefined, 8000, 'abort');
      expect(reason).toMatchObject({ code: 'OUT_ERR_RUN_CANCELLED' });
    });

    it('closing a consumer waits for in-flight jobs, then aborts them after the grace period', async () => {
      const { queue } = await open();
      const outcomes: string[] = [];
      let started = 0;
      const consumer = await queue.consume(async (ctx) => {
        started += 1;
        if (ctx.jobId === 'quick') {
          await new Promise((r) => setTimeout(r, 100));
          outcomes.push('quick:finished');
          return { type: 'done' };
        }
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        outcomes.push('stuck:aborted');
        return { type: 'retry', delayMs: 0 };
      });
      await queue.enqueue(job('quick'));
      await queue.enqueue(job('stuck'));
      await waitFor(() => started === 2, 8000, 'both started');
      await consumer.close({ graceMs: 300 });
      expect(outcomes.sort()).toEqual(['quick:finished', 'stuck:aborted']);
      // The aborted job was handed back, not lost: a new consumer gets it.
      const again: string[] = [];
      await queue.consume(async (ctx) => (again.push(ctx.jobId), { type: 'done' }));
      await waitFor(() => again.length === 1, 8000, 'redelivery of the aborted job');
      expect(again).toEqual(['stuck']);
    });

    it('knows which jobs are still pending', async () => {
      const { queue } = await open();
      await queue.enqueue(job('pending'), { delayMs: 60_000 });
      await queue.enqueue(job('quick'));
      const seen: string[] = [];
      await queue.consume(async (ctx) => (seen.push(ctx.jobId), { type: 'done' }));
      await waitFor(() => seen.includes('quick'), 8000, 'quick job');
      expect(await queue.exists?.('pending')).toBe(true);
      let quickGone = false;
      const until = Date.now() + 5000;
      while (!quickGone && Date.now() < until) quickGone = (await queue.exists?.('quick')) === false;
      expect(quickGone).toBe(true);
      expect(await queue.exists?.('never')).toBe(false);
    });

    it('counts and pings', async () => {
      const { queue } = await open();
      await queue.ping();
      await queue.enqueue(job('a'));
      await queue.enqueue(job('b'), { delayMs: 60_000 });
      expect(await queue.counts()).toMatchObject({ waiting: 1, delayed: 1, active: 0 });
    });
  });
}
