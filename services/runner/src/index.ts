/**
 * @outrun/runner — executes queued runs: `createRunner(deps)` (the queue consumer and run lifecycle),
 * `createRunnerServer(runner)` (/healthz, /readyz, /metrics), `readRunnerEnv()`.
 */
export { createRunner, type Runner, type RunnerDeps, type RunnerOptions } from './runner';
export { createRunnerServer } from './server';
export { readRunnerEnv, RunnerEnv } from './env';
export { composeRunner, type ComposedRunner } from './compose';
