/**
 * @outrun/engine/testing — helpers for tests of the engine and of code built on it: a fluent graph
 * builder, minimal test node types and a runner with a fake clock. Not for production code.
 */
export { graph, GraphBuilder, type BuiltWorkflow } from './graph-builder';
export { createTestCatalog, type TestCatalog } from './test-nodes';
export { runGraph, type RunGraphOptions, type RunGraphResult } from './run-graph';
export { createFakeClock, type FakeClock } from '@outrun/schemas';
