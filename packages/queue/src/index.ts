/**
 * @outrun/queue — the run queue port, the job payload helpers and the run lifecycle (every run transition).
 * Adapters live in side-effecting subpaths: `@outrun/queue/bullmq` (Redis, distributed) and
 * `@outrun/queue/memory` (embedded, in-process); `@outrun/queue/open` picks one from the config.
 */
export type * from './ports';
export type * from './limiter';
export { runIdempotencyKey, IdempotencySource, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
export { jobIdOf, startJob, resumeJob, retryJob } from './run-job';
export { runChannel, workspaceChannel, CANCELS_CHANNEL, CREDENTIALS_CHANNEL, typedBus, runEventBus, statusEvent, type Audience } from './lifecycle/run-events';
export { createRunLifecycle, type RunLifecycle, type RunLifecycleDeps } from './lifecycle/run-lifecycle';
export type { TestRunInput } from './lifecycle/test-run';
export type { AcceptItem } from './lifecycle/accept';
export { waitForRun, type WaitForRunOptions } from './lifecycle/wait-for-run';
export { childSignal, childOfSignal, childResultOf, type ChildResult } from './lifecycle/child-signals';
export { MinHeap } from './min-heap';
