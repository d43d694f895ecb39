/**
 * The code sandbox's warm workers start with the first run that contains a code step (the code node's `prepare`),
 * not with the process: a runner whose workflows never run code holds no QuickJS worker thread.
 * Its own file: the shared sandbox is per process (vitest isolates each file's modules).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { executeWorkflow, seededRandom, systemClock, type ExecuteWorkflowOptions } from '@outrun/engine';
import { createNodeCatalog } from '../catalog';
import { sharedCodeSandbox } from './shared-code-sandbox';

const catalog = createNodeCatalog();
type Workflow = ExecuteWorkflowOptions['workflow'];

function linear(id: string, nodes: Array<[string, string, Record<string, unknown>]>): Workflow {
  const all: Array<[string, string, Record<string, unknown>]> = [['trigger', 'trigger', { triggerId: 't1' }], ...nodes];
  return {
    id, workspaceId: 'ws-1',
    nodes: all.map(([nodeId, type, data]) => ({ id: nodeId, type, data })),
    edges: all.slice(1).map(([nodeId], i) => ({ id: `e${i}`, source: all[i]![0], target: nodeId, sourceHandle: null })),
    settings: { timeout: 60_000, retryPolicy: { maxRetries: 0, backoffStrategy: 'fixed', initialDelay: 10, maxDelay: 10, jitter: 0 } },
  };
}

const run = (workflow: Workflow) =>
  executeWorkflow({ workflow, runId: `run-${workflow.id}`, trigger: { triggerId: 't1', type: 'webhook', payload: { n: 2 } }, catalog, clock: systemClock, random: seededRandom(1) });

const previous = process.env.OUTRUN_CODE_WARM_WORKERS;
afterAll(async () => {
  if (previous === undefined) delete process.env.OUTRUN_CODE_WARM_WORKERS;
  else process.env.OUTRUN_CODE_WARM_WORKERS = previous;
  await sharedCodeSandbox().close();
});

describe('code workers start with the first run that needs them', { timeout: 60_000 }, () => {
  it('none for runs without a code step; the first code run warms OUTRUN_CODE_WARM_WORKERS of them before its step', async () => {
    process.env.OUTRUN_CODE_WARM_WORKERS = '2';
    const plain = await run(linear('plain', [['double', 'transform', { expression: '{"n": input.n * 2}' }]]));
    expect(plain.status, JSON.stringify(plain.error)).toBe('completed');
    expect(sharedCodeSandbox().spawned).toBe(0);

    const withCode = await run(linear('code', [['code', 'code', { language: 'javascript', code: 'return { n: input.n * 3 };' }]]));
    expect(withCode.status, JSON.stringify(withCode.error)).toBe('completed');
    expect(withCode.outputs.code).toEqual({ n: 6 });
    // Two warmed by prepare (the step ran on one of them); without prepare the step alone would have started one.
    expect(sharedCodeSandbox().spawned).toBe(2);
  });
});
