/**
 * The run lifecycle: the one owner of every run transition. Routes, the listener and the runner call it; none of
 * them writes run state or publishes run status events itself. See ./README.md ("what can happen to a run?").
 */
import { ErrorCode, UserError, isTerminalRunStatus, systemClock, type Clock, type Run, type RunJob, type RunStatus } from '@outrun/schemas';
import type { CreateRunInput, FinishRunInput, RunStore } from '@outrun/store';
import type { EventBus, RunQueue } from '../ports';
import { jobIdOf, resumeJob, retryJob } from '../run-job';
import { acceptMany, acceptOne, type AcceptItem } from './accept';
import { childOfSignal, childResultOf, childSignal, type ChildResult } from './child-signals';
import { recoverAll, recoverLost } from './recover';
import { retryAsNewRun } from './retry';
import { acceptTestRun, type TestRunInput } from './test-run';
import { CANCELS_CHANNEL, publishEvent, runEventBus, statusEvent, type Audience } from './run-events';

export interface RunLifecycleDeps {
  store: { runs: RunStore };
  queue: RunQueue;
  /** Live views. Absent: no status event is published (benches, tools). */
  events?: EventBus | undefined;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'> | undefined;
  /** Told when a best-effort step (an event, a queue cancel) fails; the saved state already decided. */
  onBestEffortFailure?: ((what: string, runId: string, err: unknown) => void) | undefined;
}

type RunRef = Pick<Run, 'id' | 'workspaceId' | 'workflowId'> & { parentRunId?: string | undefined };
type Accepted = { run: Run; created: boolean };

export interface RunLifecycle {
  /** Accept: record a `queued` run and its start job (503 when the queue refuses), then announce it. */
  accept(workspaceId: string, input: CreateRunInput, options?: { announce?: Audience | 'later' }): Promise<Accepted>;
  /** Accept a batch, all or nothing; staged items (`notBefore` ahead) start from their resume job. */
  acceptMany(items: readonly AcceptItem[], options?: { announce?: Audience | 'later' }): Promise<Accepted[]>;
  /** Publishes the `queued` event of a run accepted with `announce: 'later'` (a staged schedule run at its due time). */
  announce(run: Run, audience?: Audience): void;
  /** Does `job` drive `run` now? False for a stale job of a parked or waiting run, and for a terminal run. */
  drives(job: RunJob, run: Run): boolean;
  /**
   * Start (a `start` or `retry` job) or resume (a `resume` job): queued|running → running, attempt recorded.
   * @returns the running run, or null when this job must not drive it (terminal, cancelled, or a stale job of a
   * parked or waiting run, which continues only from its own resume job).
   */
  begin(job: RunJob, run: Run): Promise<Run | null>;
  /** Park: a running run sleeps until `resumeAt` (durable delay) holding no worker; its resume job is queued first. */
  park(run: Run, resumeAt: number): Promise<void>;
  /** Wait: a running run waits for `signal` until `deadline`; then resumes either way (the job says which). */
  wait(run: Run, wait: { signal: string; deadline: number }): Promise<void>;
  /**
   * Delivers a signal (and its payload, read back by the resumed node) to a run waiting for exactly that signal: it
   * resumes now. At most one delivery per wait wins (a compare-and-set on the run's `waitingFor`).
   * @returns false when the run is not waiting for it (already decided, timed out, finished, not there yet).
   */
  signal(workspaceId: string, runId: string, signal: string, payload?: unknown): Promise<boolean>;
  /**
   * Finish: writes the terminal status once and announces it; a child run then resumes its waiting parent.
   * @returns false when it was already terminal.
   */
  finish(run: RunRef, input: FinishRunInput): Promise<boolean>;
  /** Re-attempt: an operational failure escaped the engine; attempt `attempt + 1` of the whole run after `delayMs`. */
  reattempt(run: RunRef, attempt: number, delayMs: number): Promise<void>;
  /** Retry (a user's): a finished run again as a new linked run, optionally from its failed step. */
  retry(original: Run, fromFailedStep: boolean): Promise<Run>;
  /** Test (editor test loop): a `triggeredBy.test` run with pinned/reused outputs recorded as completed steps first. */
  acceptTest(workspaceId: string, input: TestRunInput): Promise<Run>;
  /** Cancel: queued|running → cancelled (and the child it waits for). The saved state decides the answer (409 when already finished). */
  cancel(workspaceId: string, runId: string): Promise<Run>;
  /** Withdraw: a staged run that is not due yet is taken back (its resume job removed, the run discarded). */
  withdraw(workspaceId: string, runId: string, resumeAt: number): Promise<void>;
  /** Recover (embedded start-up): enqueue every unfinished run again. @returns how many. */
  recover(): Promise<number>;
  /** Recover (distributed): enqueue the unfinished runs whose job was lost with Redis. @returns how many. */
  reconcile(limit?: number): Promise<number>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createRunLifecycle(deps: RunLifecycleDeps): RunLifecycle {
  const { queue } = deps;
  const { runs } = deps.store;
  // The one publisher of run status events.
  const events = deps.events && runEventBus(deps.events);
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const bestEffort = (what: string, runId: string) => (err: unknown) => deps.onBestEffortFailure?.(what, runId, err);

  /** Publishes without waiting: a slow or down bus never holds a run back (the store has the truth). */
  function publish(run: RunRef, status: RunStatus, at: string, audience: Audience = 'run-and-workspace'): void {
    if (events) publishEvent(events, statusEvent(run, status, at), audience).catch(bestEffort(`${status} event`, run.id));
  }

  /** Publishes and waits (the answer of an API call follows its event), still never failing the caller. */
  async function publishAndWait(run: RunRef, status: RunStatus, at: string): Promise<void> {
    if (events) await publishEvent(events, statusEvent(run, status, at)).catch(bestEffort(`${status} event`, run.id));
  }

  /** Tells runners on the cancels channel (each listens there once) that `run` was cancelled. */
  async function announceCancel(run: RunRef, at: string): Promise<void> {
    if (events) await events.publish(CANCELS_CHANNEL, statusEvent(run, 'cancelled', at)).catch(bestEffort('cancel notice', run.id));
  }

  /**
   * The `queued` events of freshly accepted runs. The API waits for them (an SSE client may race the answer); the
   * listener's hot path publishes to the workspace only without waiting; `later` leaves it to `announce`.
   */
  async function announceFresh(results: Accepted[], audience: Audience | 'later' = 'run-and-workspace'): Promise<void> {
    if (audience === 'later') return;
    const fresh = results.filter((r) => r.created).map((r) => r.run);
    if (audience === 'workspace') for (const run of fresh) publish(run, 'queued', run.queuedAt, audience);
    else await Promise.all(fresh.map((run) => publishAndWait(run, 'queued', run.queuedAt)));
  }

  /** Is `job` the one that drives `run` now? A parked or waiting run continues only from its own resume job. */
  function isCurrent(job: RunJob, run: Run): boolean {
    if (run.resumeAt === undefined) return true;
    return job.kind === 'resume' && job.resumeAt === Math.round(Date.parse(run.resumeAt));
  }

  /** Queues the resume job first, then records `resumeAt`: a crash in between still leaves a job that resumes it. */
  /** A child ended: its parent, when it waits for it, resumes now with the child's result (best effort: the
   * parent's `workflow` node also looks at the child when its deadline passes). */
  async function notifyParent(child: RunRef, result: ChildResult): Promise<void> {
    if (child.parentRunId === undefined) return;
    await lifecycle.signal(child.workspaceId, child.parentRunId, childSignal(child.id), result).catch(bestEffort('parent signal', child.parentRunId));
  }

  async function parkUntil(run: Pick<Run, 'id' | 'workspaceId'>, resumeAt: number, waitingFor?: string): Promise<void> {
    await queue.enqueue(resumeJob({ workspaceId: run.workspaceId, runId: run.id }, resumeAt), { delayMs: Math.max(0, resumeAt - now()) });
    await runs.parkRun(run.workspaceId, run.id, iso(resumeAt), waitingFor);
  }

  const lifecycle: RunLifecycle = {
    async accept(workspaceId, input, options = {}) {
      const result = await acceptOne({ runs, queue, clock }, workspaceId, input);
      await announceFresh([result], options.announce);
      return result;
    },

    async acceptMany(items, options = {}) {
      const results = await acceptMany({ runs, queue, clock }, items);
      await announceFresh(results, options.announce);
      return results;
    },

    announce(run, audience = 'workspace') {
      publish(run, 'queued', run.queuedAt, audience);
    },

    drives: (job, run) => !isTerminalRunStatus(run.status) && isCurrent(job, run),

    async begin(job, queued) {
      if (isTerminalRunStatus(queued.status) || !isCurrent(job, queued)) return null;
      const attempt = job.kind === 'retry' ? job.attempt : queued.attempt;
      // The job's trace context names the run's trace (the first one sticks: a recovered job may start another).
      const traceId = job.trace?.traceparent.split('-')[1];
      const run = await runs.markRunning(queued.workspaceId, queued.id, { attempt, at: iso(now()), traceId });
      if (run && queued.status === 'queued') publish(run, 'running', iso(now()));
      return run;
    },

    park: (run, resumeAt) => parkUntil(run, resumeAt),

    // The deadline job carries no `signal`; `signal` re-parks the run at once with a job that names it.
    wait: (run, { signal, deadline }) => parkUntil(run, deadline, signal),

    async signal(workspaceId, runId, signal, payload) {
      const run = await runs.getRun(workspaceId, runId);
      if (!run || isTerminalRunStatus(run.status) || run.resumeAt === undefined || run.waitingFor !== signal) return false;
      const deadline = Math.round(Date.parse(run.resumeAt));
      // Store first (compare-and-set: one delivery wins): the job is runnable at once and must find the run
      // expecting it. A crash before the enqueue leaves a run parked until now with no job: recover/reconcile
      // enqueue its resume job, and the payload is read from the run, not from the job.
      const at = Math.min(now(), deadline);
      if (!(await runs.deliverSignal(workspaceId, runId, { signal, payload: payload ?? null, at: iso(at) }))) return false;
      await queue.enqueue(resumeJob({ workspaceId, runId }, at, signal));
      await queue.cancel(jobIdOf(resumeJob({ workspaceId, runId }, deadline))).catch(bestEffort('deadline job cancel', runId));
      return true;
    },

    async finish(run, input) {
      const at = iso(now());
      const changed = await runs.finishRun(run.workspaceId, run.id, { ...input, at });
      if (changed) publish(run, input.status, at);
      if (changed && run.parentRunId !== undefined) {
        const result: ChildResult = { runId: run.id, status: input.status };
        if (input.output !== undefined) result.output = input.output;
        if (input.error !== undefined) result.error = input.error;
        if (input.usage !== undefined) result.usage = input.usage;
        await notifyParent(run, result);
      }
      return changed;
    },

    reattempt: (run, attempt, delayMs) => queue.enqueue(retryJob({ workspaceId: run.workspaceId, runId: run.id }, attempt + 1), { delayMs }),

    async retry(original, fromFailedStep) {
      const run = await retryAsNewRun({ runs, queue }, original, fromFailedStep);
      await publishAndWait(run, 'queued', run.queuedAt);
      return run;
    },

    async acceptTest(workspaceId, input) {
      const run = await acceptTestRun({ runs, queue }, workspaceId, input);
      await publishAndWait(run, 'queued', run.queuedAt);
      return run;
    },

    async cancel(workspaceId, runId) {
      const before = await runs.getRun(workspaceId, runId);
      if (!before) throw new UserError(ErrorCode.NOT_FOUND, 'Run not found.', 404);
      if (isTerminalRunStatus(before.status)) throw new UserError(ErrorCode.CONFLICT, `The run is already ${before.status}.`, 409);
      const at = iso(now());
      const run = await runs.cancelRun(workspaceId, runId, at);
      if (!run) throw new UserError(ErrorCode.NOT_FOUND, 'Run not found.', 404);
      if (run.status !== 'cancelled') throw new UserError(ErrorCode.CONFLICT, `The run finished as ${run.status} before it could be cancelled.`, 409);
      // The saved state decides the answer: the event (runners listen for it) and removing jobs are best effort;
      // a runner re-checks the status between steps. A parked or staged run waits on its resume job.
      await Promise.all([publishAndWait(run, 'cancelled', at), announceCancel(run, at)]);
      const ref = { workspaceId, runId };
      const jobIds = [runId, ...(before.resumeAt === undefined ? [] : [jobIdOf(resumeJob(ref, Date.parse(before.resumeAt)))])];
      await Promise.all(jobIds.map((id) => queue.cancel(id))).catch(bestEffort('queue cancel', runId));
      // Cancelling a parent that waits for a child cancels its unfinished children (a fan-out waits for several,
      // one at a time); a cancelled child resumes its waiting parent.
      if (childOfSignal(before.waitingFor) !== undefined) {
        const children = await runs.listRuns(workspaceId, { parentRunId: runId, limit: 200 }).catch(() => ({ items: [] as Run[] }));
        for (const child of children.items.filter((c) => !isTerminalRunStatus(c.status))) {
          await lifecycle.cancel(workspaceId, child.id).catch(bestEffort('child cancel', child.id));
        }
      }
      const result = childResultOf(run);
      if (result !== undefined) await notifyParent(run, result);
      return run;
    },

    async withdraw(workspaceId, runId, resumeAt) {
      await queue.cancel(jobIdOf(resumeJob({ workspaceId, runId }, resumeAt)));
      await runs.discardRun(workspaceId, runId);
    },

    recover: () => recoverAll(runs, queue, clock),
    reconcile: (limit = 10_000) => recoverLost(runs, queue, clock, limit),
  };
  return lifecycle;
}
