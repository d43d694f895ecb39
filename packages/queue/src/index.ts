/**
 * @outrun/queue — the run queue port and `startRun` (record + enqueue, shared by listener and API).
 * Adapters live in side-effecting subpaths: `@outrun/queue/bullmq` (Redis, distributed) and
 * `@outrun/queue/memory` (embedded, in-process).
 */
export type * from './ports';
export { startRun, runChannel, workspaceChannel, type StartRunDeps } from './start-run';
