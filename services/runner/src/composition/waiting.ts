/** The runner's part of waiting runs: hand the delivered signal to the engine; close the early-child race. */
import { childOfSignal, childResultOf, type RunLifecycle } from '@outrun/queue';
import type { JsonValue, Run } from '@outrun/schemas';
import type { Store } from '@outrun/store';

/** The signal delivered to a run that has a waiting step, or undefined (one store read, only for such runs). */
export async function resumeSignalOf(store: Store, run: Run): Promise<{ signal: string; payload: JsonValue } | undefined> {
  if (!run.steps.some((s) => s.status === 'waiting')) return undefined;
  const delivered = await store.runs.getSignalPayload(run.workspaceId, run.id);
  return delivered === undefined ? undefined : { signal: delivered.signal, payload: (delivered.payload ?? null) as JsonValue };
}

/**
 * The parent now waits for `child:<id>`; when that child already ended (it finished before the parent's wait was
 * recorded, so its own signal found nobody waiting), deliver its result now. Both sides may try: the run's
 * compare-and-set lets one delivery win.
 */
export async function settleEarlyChild(store: Store, lifecycle: RunLifecycle, run: Pick<Run, 'workspaceId' | 'id'>, waitingFor: string): Promise<void> {
  const childId = childOfSignal(waitingFor);
  if (childId === undefined) return;
  const child = await store.runs.getRun(run.workspaceId, childId);
  const result = child ? childResultOf(child) : undefined;
  if (result !== undefined) await lifecycle.signal(run.workspaceId, run.id, waitingFor, result);
}
