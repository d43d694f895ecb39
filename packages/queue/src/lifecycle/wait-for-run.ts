/**
 * Waiting (bounded) for a run to finish — a sync webhook's answer, an MCP tool call's result. One implementation for
 * every caller.
 */
import { isTerminalRunStatus, type Run } from '@outrun/schemas';
import type { RunStore } from '@outrun/store';
import type { EventBus } from '../ports';
import { runChannel, runEventBus } from './run-events';

export interface WaitForRunOptions {
  runs: RunStore;
  events: EventBus;
  workspaceId: string;
  runId: string;
  timeoutMs: number;
  /** Store re-read interval in case a live event is missed. @default 1000 */
  pollMs?: number;
  /** Stops waiting early (the caller went away): resolves null. */
  signal?: AbortSignal;
}

/**
 * Waits for a run to reach a terminal status: wakes on the run's live channel, then reads the store (the
 * truth). Subscribes before the first read so a run finishing in between is never missed.
 * @returns the terminal run, or null on timeout (or when `signal` aborted first).
 */
export async function waitForRun(options: WaitForRunOptions): Promise<Run | null> {
  const { runs, events, workspaceId, runId } = options;
  let wake: (() => void) | undefined;
  let woken = false;
  // Only the run's own terminal status events: a step's `completed` must not re-read the whole run (that made a
  // sync webhook's run cost O(steps²): every step re-read every step recorded so far).
  const unsubscribe = await runEventBus(events).subscribe(runChannel(runId), (event) => {
    if (event.type === 'status' && isTerminalRunStatus(event.status)) {
      woken = true;
      wake?.();
    }
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      woken = false;
      const run = await runs.getRun(workspaceId, runId);
      if (run && isTerminalRunStatus(run.status)) return run;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || options.signal?.aborted) return null;
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(remaining, options.pollMs ?? 1000));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await unsubscribe().catch(() => undefined);
  }
}
