/**
 * `e2e-distributed`: the reference workload through the public webhook URL (the api gateway, which forwards to the
 * listener) of api + listener + N runner processes on BullMQ, 50 connections closed loop; then drained and checked.
 */
import { runAutocannon } from '../services/listener/bench/run-autocannon';
import { startDistributedStack } from './distributed-stack';
import { finishedBetween, readRunOutcome, type RunOutcome } from './run-outcome';

export interface DistributedResult extends RunOutcome {
  runners: number;
  accepted: number;
  acceptedPerSecond: number;
  /** Distinct runs' sink calls ÷ time from load start to the last sink call. */
  sustainedPerSecond: number;
  completedPerSecondDuringLoad: number;
  drainSeconds: number;
  /** Peak RSS summed over the service processes (no npm wrappers). */
  peakRssMb: number;
  lost: number;
}

export async function runE2eDistributed(runners: number, seconds: number, connections = 50): Promise<DistributedResult> {
  const stack = await startDistributedStack({ runners });
  try {
    let peak = stack.rssMb();
    const sampler = setInterval(() => (peak = Math.max(peak, stack.rssMb())), 500);
    const started = Date.now();
    const load = await runAutocannon({ url: stack.webhookUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}', connections, duration: seconds });
    const loadEnded = Date.now();
    const accepted = Object.entries(load.statusCodeStats).reduce((sum, [code, { count }]) => sum + (code.startsWith('2') ? count : 0), 0);
    // Drain: until every recorded run finished (also those whose 202 autocannon cut off at the end), or nothing
    // moved for 30 s.
    let outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    let [last, lastMove] = [outcome.unfinished, Date.now()];
    while ((outcome.unfinished > 0 || outcome.recorded < accepted) && Date.now() - lastMove < 30_000) {
      await new Promise((r) => setTimeout(r, 250));
      outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
      if (outcome.unfinished !== last) [last, lastMove] = [outcome.unfinished, Date.now()];
    }
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate call would show here
    outcome = readRunOutcome(stack.dbPath, stack.workflowId, stack.sink);
    const lastCall = stack.sink.requests.reduce((latest, r) => Math.max(latest, r.receivedAt), started); // a loop: a spread of 100,000+ arguments overflows the stack
    return {
      ...outcome,
      runners,
      accepted,
      acceptedPerSecond: accepted / seconds,
      sustainedPerSecond: outcome.sinkRuns / Math.max(0.001, (lastCall - started) / 1000),
      completedPerSecondDuringLoad: finishedBetween(stack.dbPath, stack.workflowId, started, loadEnded) / seconds,
      drainSeconds: Math.max(0, (lastCall - loadEnded) / 1000),
      peakRssMb: peak,
      // Accepted webhooks are a lower bound of recorded runs (autocannon drops answers in flight when it stops).
      lost: Math.max(0, accepted - outcome.recorded) + outcome.unfinished,
    };
  } finally {
    await stack.close();
  }
}
