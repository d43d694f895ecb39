/**
 * @outrun/queue — the run queue port. Adapters live in side-effecting subpaths:
 * `@outrun/queue/bullmq` (Redis, distributed) and `@outrun/queue/memory` (embedded, in-process).
 */
export type * from './ports';
