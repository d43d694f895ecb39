/**
 * Sub-workflows in the lifecycle: a parent run waits for its child with the signal `child:<childRunId>`; the
 * child's terminal transition (finish or cancel) delivers it with the child's result. Only a terminal transition
 * delivers it, so a child parked on its own wait (an approval inside the child) never resumes the parent early.
 */
import type { Run, RunUsage, SerializedError } from '@outrun/schemas';

/** The signal a parent waits for while its child `childRunId` runs. */
export const childSignal = (childRunId: string): string => `child:${childRunId}`;

/** The child id of a `child:` signal, or undefined. */
export const childOfSignal = (signal: string | undefined): string | undefined => (signal?.startsWith('child:') ? signal.slice('child:'.length) : undefined);

/** What the parent's `workflow` node receives when its child ended. */
export interface ChildResult {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled';
  output?: unknown;
  error?: SerializedError;
  usage?: RunUsage;
}

/** The child result of a terminal run. */
export function childResultOf(run: Pick<Run, 'id' | 'status' | 'output' | 'error' | 'usage'>): ChildResult | undefined {
  if (run.status !== 'completed' && run.status !== 'failed' && run.status !== 'cancelled') return undefined;
  const result: ChildResult = { runId: run.id, status: run.status, usage: run.usage };
  if (run.output !== undefined) result.output = run.output;
  if (run.error !== undefined) result.error = run.error;
  return result;
}
