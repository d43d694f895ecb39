/**
 * The reason the engine's own timers (run timeout, node timeout) are aborted with once not needed.
 * One shared value: `abort()` without a reason would build a DOMException (with a stack) per run.
 * Nobody observes it; the sleep's rejection is swallowed.
 */
export const TIMER_DISPOSED: Error = Object.freeze(new Error('timer disposed'));
