import { describe, expect, it } from 'vitest';
import type { Run } from '@outrun/schemas';
import { previewScope } from './preview-scope';

const run = {
  id: 'r1',
  triggeredBy: { type: 'webhook', payload: { body: { name: 'Ada' } } },
  steps: [
    { nodeId: 'hook', status: 'completed', input: { body: { name: 'Ada' } }, output: { body: { name: 'Ada' } } },
    { nodeId: 'greet', status: 'completed', input: { body: { name: 'Ada' } }, output: { who: 'Ada' } },
    { nodeId: 'after', status: 'completed', input: { who: 'Ada' }, output: { done: true } },
  ],
} as unknown as Run;

describe('previewScope (pinned data as a test run would use it)', () => {
  it('is the run on the canvas when nothing is pinned', () => {
    expect(previewScope(run, 'after', {}, ['greet'])).toEqual({
      input: { who: 'Ada' },
      trigger: { body: { name: 'Ada' } },
      steps: { hook: { body: { name: 'Ada' } }, greet: { who: 'Ada' }, after: { done: true } },
    });
    expect(previewScope(run, 'missing', {}, [])).toBeNull();
    expect(previewScope(null, 'after', {}, ['greet'])).toBeNull();
  });

  it('puts pinned outputs in steps and in the input from a pinned predecessor', () => {
    const scope = previewScope(run, 'after', { greet: { who: 'Grace' } }, ['greet']);
    expect(scope?.steps['greet']).toEqual({ who: 'Grace' });
    expect(scope?.input).toEqual({ who: 'Grace' });
    // a pin elsewhere changes steps, not this input
    expect(previewScope(run, 'after', { hook: { x: 1 } }, ['greet'])?.input).toEqual({ who: 'Ada' });
  });

  it('with several predecessors, the input map takes the pinned ones', () => {
    const merged = { ...run, steps: [...run.steps, { nodeId: 'merge', status: 'completed', input: { greet: { who: 'Ada' }, after: { done: true } }, output: {} }] } as unknown as Run;
    expect(previewScope(merged, 'merge', { greet: { who: 'Grace' } }, ['greet', 'after'])?.input).toEqual({ greet: { who: 'Grace' }, after: { done: true } });
    // not reached in the run: built from the outputs, pins first
    expect(previewScope(run, 'merge', { greet: { who: 'Grace' } }, ['greet', 'after'])?.input).toEqual({ greet: { who: 'Grace' }, after: { done: true } });
  });

  it('gives a scope from pins alone, before any run', () => {
    expect(previewScope(null, 'after', { greet: { who: 'Grace' } }, ['greet'])).toEqual({ input: { who: 'Grace' }, trigger: undefined, steps: { greet: { who: 'Grace' } } });
  });
});
