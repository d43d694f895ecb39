/**
 * @outrun/queue — the run queue port and `startRun` (record + enqueue, shared by listener and API).
 * Adapters live in side-effecting subpaths: `@outrun/queue/bullmq` (Redis, distributed) and
 * `@outrun/queue/memory` (embedded, in-process); `@outrun/queue/open` picks one from the config.
 */
export type * from './ports';
export type * from './limiter';
export { startRun, startRuns, runChannel, workspaceChannel, CREDENTIALS_CHANNEL, type StartRunDeps, type StartRunItem } from './start-run';
export { runIdempotencyKey, IdempotencySource, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
export { recoverUnfinishedRuns } from './recover-unfinished-runs';
export { resumeJobId, retryJobId, parseJobId, type ParsedJobId } from './job-ids';
