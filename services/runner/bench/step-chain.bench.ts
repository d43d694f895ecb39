/**
 * `npm run bench:steps` — cost per step as a run grows: one run at a time of a chain of N `set` steps through the
 * runner (in-process queue, SQLite file), for N = 10, 100, 1,000 (BENCH_STEP_COUNTS). Prints ms/run and ms/step and
 * the 1,000-step per-step cost relative to the 10-step one (target ≤ 1.5×). `--json` prints the rows as JSON only.
 */
import { z } from 'zod';
import { parseEnv } from '@outrun/config';
import { createRunLifecycle, workspaceChannel } from '@outrun/queue';
import { isTerminalRunStatus } from '@outrun/schemas';
import { createWorkflow, edge, inProcessWorld, node, type InProcessWorld } from '../test/harness';

const env = parseEnv(
  z.object({
    BENCH_STEP_COUNTS: z.string().default('10,100,1000'),
    /** Runs per chain length; the median is reported. */
    BENCH_RUNS: z.coerce.number().int().positive().default(3),
  }),
);

export interface StepChainRow {
  steps: number;
  msPerRun: number;
  msPerStep: number;
  stepsRecorded: number;
}

/** Waits on the workspace's live channel (subscribed before the run starts) for one run's terminal status event:
 * polling the store would re-read every step recorded so far. */
async function terminalEvents(world: InProcessWorld, workspaceId: string) {
  const waiting = new Map<string, () => void>();
  const ended = new Set<string>();
  const off = await world.opened.events.subscribe(workspaceChannel(workspaceId), (m) => {
    const e = m as { type?: string; status?: string; runId?: string };
    if (e.type === 'status' && e.status !== undefined && isTerminalRunStatus(e.status as never)) {
      ended.add(e.runId ?? '');
      waiting.get(e.runId ?? '')?.();
    }
  });
  return { until: (runId: string) => new Promise<void>((resolve) => (ended.has(runId) ? resolve() : waiting.set(runId, resolve))), off };
}

async function measure(steps: number, runs: number): Promise<StepChainRow> {
  const world = await inProcessWorld('memory');
  try {
    const nodes = Array.from({ length: steps }, (_, i) => node(`s${i}`, 'set', { fields: [{ name: 'n', value: i }] }));
    const edges = nodes.map((n, i) => edge(i === 0 ? 'trigger' : `s${i - 1}`, n.id));
    const wf = await createWorkflow(world.store, world.workspaceId, { nodes, edges });
    const times: number[] = [];
    let recorded = 0;
    const terminal = await terminalEvents(world, wf.workspaceId);
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      const { run } = await createRunLifecycle({ store: { runs: world.store.runs }, queue: world.opened.queue, events: world.opened.events }).accept(wf.workspaceId, {
        workflowId: wf.id,
        workflowVersion: wf.version,
        triggeredBy: { type: 'manual', source: 'bench', triggerId: 'trg', payload: { value: 7 } },
      });
      await terminal.until(run.id);
      times.push(performance.now() - started);
      const done = await world.store.runs.getRun(wf.workspaceId, run.id);
      if (done!.status !== 'completed') throw new Error(`run ${run.id} ended ${done!.status}: ${JSON.stringify(done!.error)}`);
      recorded = done!.steps.length;
    }
    await terminal.off();
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    return { steps, msPerRun: median, msPerStep: median / steps, stepsRecorded: recorded };
  } finally {
    await world.close();
  }
}

export async function runStepChain(counts: number[], runs: number): Promise<StepChainRow[]> {
  const rows: StepChainRow[] = [];
  for (const n of counts) rows.push(await measure(n, runs));
  return rows;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const counts = env.BENCH_STEP_COUNTS.split(',').map(Number);
  const rows = await runStepChain(counts, env.BENCH_RUNS);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log('\nstep chain — one run at a time, N `set` steps, median of', env.BENCH_RUNS);
    for (const r of rows) console.log(`  ${String(r.steps).padStart(6)} steps  ${r.msPerRun.toFixed(1).padStart(9)} ms/run  ${r.msPerStep.toFixed(3)} ms/step  (${r.stepsRecorded + 1} steps recorded incl. trigger)`);
    const first = rows[0]!, last = rows[rows.length - 1]!;
    console.log(`  ${last.steps}-step per-step cost = ${(last.msPerStep / first.msPerStep).toFixed(2)}× the ${first.steps}-step one   target ≤ 1.5×`);
  }
  process.exit(0);
}
