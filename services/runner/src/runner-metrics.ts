import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '@outrun/config';
import type { RunQueue } from '@outrun/queue';

/** The runner's Prometheus metrics (one registry per runner, never the global one). */
export interface RunnerMetrics {
  registry: Registry;
  runsStarted: Counter;
  runsFinished: Counter<'status'>;
  stepDuration: Histogram<'node_type' | 'status'>;
  activeRuns: Gauge;
}

export function createRunnerMetrics(queue: RunQueue): RunnerMetrics {
  const registry = createMetricsRegistry('runner');
  const registers = [registry];
  new Gauge({
    name: 'outrun_queue_depth',
    help: 'Jobs in the run queue by state',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const counts = await queue.counts().catch(() => null);
      if (!counts) return;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return {
    registry,
    runsStarted: new Counter({ name: 'outrun_runs_started_total', help: 'Runs this runner started (first execution, not resumes)', registers }),
    runsFinished: new Counter({ name: 'outrun_runs_finished_total', help: 'Runs this runner brought to a terminal state, by status', labelNames: ['status'] as const, registers }),
    stepDuration: new Histogram({
      name: 'outrun_step_duration_seconds',
      help: 'Duration of each step attempt',
      labelNames: ['node_type', 'status'] as const,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    }),
    activeRuns: new Gauge({ name: 'outrun_active_runs', help: 'Runs executing in this runner now', registers }),
  };
}
