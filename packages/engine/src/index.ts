/**
 * @outrun/engine — pure workflow execution: graph validation, planning, the run loop, retries,
 * `{{ }}` JSONata expressions and resume from recorded steps. No I/O (lint-enforced): time, randomness,
 * HTTP and storage arrive through ports.
 */
export type * from './types';
