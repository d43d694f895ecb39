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
