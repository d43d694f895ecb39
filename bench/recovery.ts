/**
 * `recovery`: api + listener + one BullMQ runner; `runs` webhooks accepted through the gateway while the sink answers
 * slowly, so they are in flight in the runner; `kill -9` of the runner; a new runner starts. Checked: every run
 * completes exactly once (status completed, one record per step, none failed), and the sink saw every run's call;
 * a call that was in flight at the kill may be re-sent once, with the same Idempotency-Key. Measured: the time from
 * the kill to the last run completed.
 */
import { startDistributedStack } from './distributed-stack';
import { readRunOutcome, type RunOutcome } from './run-outcome';

export interface RecoveryResult extends RunOutcome {
  runs: number;
  accepted: number;
  /** Runs not finished when the runner was killed. */
  inFlightAtKill: number;
  /** Kill → every run finished, ms (includes the new runner's start-up and BullMQ's stalled-job check). */
  recoveredInMs: number;
}

export async function runRecovery(runs: number, sinkDelayMs = 300): Promise<RecoveryResult> {
  const stack = await startDistributedStack({ runners: 1, concurrency: Math.max(64, runs), sink: { delayMs: sinkDelayMs } });
  try {
    const answers = await Promise.all(
      Array.from({ length: runs }, () => fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' }).then((r) => r.status, () => 0)),
    );
    const accepted = answers.filter((s) => s >= 200 && s < 300).length;
    // Kill once half the runs reached their (slow) http step: some finished, many mid-way, the rest still queued.
    const deadline = Date.now() + 60_000;
    while (stack.sink.requests.length < Math.ceil(accepted * 0.5) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const victim = stack.runners[0]!;
    victim.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    const inFlightAtKill = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink).unfinished;
    await stack.addRunner();
    let outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    const until = Date.now() + 180_000;
    while (outcome.completed + outcome.failed < outcome.recorded && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    }
    const recoveredInMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate call would show here
    return { ...readRunOutcome(stack.dbPath, stack.workflowId, stack.sink), runs, accepted, inFlightAtKill, recoveredInMs };
  } finally {
    await stack.close();
  }
}
