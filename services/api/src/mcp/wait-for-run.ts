/**
 * Waits (bounded) for a run started by an MCP tool call to finish: wakes on the run's terminal status event,
 * reads the store (the truth), and re-reads every second in case an event is missed. Subscribes before the
 * first read so a run finishing in between is not missed. Same approach as the listener's sync webhook.
 */
import { isTerminalRunStatus, type Run } from '@outrun/schemas';
import { runChannel, runEventBus, type EventBus } from '@outrun/queue';
import type { RunStore } from '@outrun/store';

/** @returns the terminal run, or null when `timeoutMs` passed or `signal` aborted first. */
export async function waitForTerminalRun(runs: RunStore, events: EventBus, workspaceId: string, runId: string, timeoutMs: number, signal: AbortSignal): Promise<Run | null> {
  let wake: (() => void) | undefined;
  let woken = false;
  const unsubscribe = await runEventBus(events).subscribe(runChannel(runId), (event) => {
    if (event.type === 'status' && isTerminalRunStatus(event.status)) {
      woken = true;
      wake?.();
    }
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      woken = false;
      const run = await runs.getRun(workspaceId, runId);
      if (run && isTerminalRunStatus(run.status)) return run;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal.aborted) return null;
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(remaining, 1_000));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await unsubscribe().catch(() => undefined);
  }
}
