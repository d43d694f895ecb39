/**
 * The embedded stack of `npm start` (gateway with the listener in-process for `/webhook/*`, a runner) on a SQLite
 * file the test chooses, with every log line captured: for fault and secret-leak tests that need the whole path
 * in one process. Built by `createStack()` (`@outrun/testing/stack`) on the services' composition roots.
 */
import { createStack, type Stack, type StackOptions } from '@outrun/testing/stack';

export type EmbeddedStack = Stack;
export type EmbeddedStackOptions = StackOptions;

export function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  return createStack(options);
}
