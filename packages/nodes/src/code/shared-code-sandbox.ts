/**
 * One code sandbox per process (the runner's, or a test's): its workers start with the first `code` step and
 * are `unref`'d, so an idle process neither pays for them nor is held open by them. Limits come from
 * `OUTRUN_CODE_*` (docs/code-node.md).
 */
import { codeLimitsFromEnv, createCodeSandbox, type CodeSandbox } from '@outrun/sandbox';

let shared: CodeSandbox | undefined;

export function sharedCodeSandbox(): CodeSandbox {
  if (!shared) {
    const { limits, workers } = codeLimitsFromEnv();
    shared = createCodeSandbox({ workers, limits });
  }
  return shared;
}

/**
 * Starts `OUTRUN_CODE_WARM_WORKERS` (default 1) code workers now: the code node's `prepare`, called once per process
 * when the first run containing a code step starts. A bad `OUTRUN_CODE_*` value starts nothing here; the code steps
 * report it (the runner itself keeps working for other nodes).
 */
export function warmCodeSandbox(): void {
  let warmWorkers: number;
  try {
    warmWorkers = codeLimitsFromEnv().warmWorkers;
  } catch {
    return;
  }
  if (warmWorkers > 0) sharedCodeSandbox().warm(warmWorkers);
}
