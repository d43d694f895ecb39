/**
 * @outrun/sandbox — a stoppable, memory-bounded place to run user compute off the event loop: a worker-thread
 * pool (per-worker heap cap, hard wall-clock timeout by `terminate()`, respawn) and the expression sandbox built
 * on it. The `code` node (issue 16) is meant to add its own task kind on the same pool.
 */
export { createWorkerPool, SandboxError, type WorkerPool, type WorkerPoolOptions, type SandboxFailureReason, type TaskReply } from './worker-pool';
export { serveTasks, type TaskHandler, type SerializedTaskError } from './serve-tasks';
export { createExpressionSandbox, EXPRESSION_SANDBOX_DEFAULTS, type ExpressionSandbox } from './expression-sandbox';
export { createCodeSandbox, type CodeSandbox, type CodeSandboxOptions, type CodeRunResult, type CodeLogLine } from './code/code-sandbox';
export { CODE_LIMIT_DEFAULTS, codeLimitsFromEnv, type CodeLimits } from './code/limits';
export { transpileCode, type CodeLanguage, type CodeSyntaxError } from './code/transpile';
