import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { mergeNode } from '.';

// What the engine passes with several live branches: outputs keyed by predecessor id (also in ctx.steps).
const steps = { a: { n: 1 }, b: [2], c: null, other: 'x' };
const input = { a: steps.a, b: steps.b, c: steps.c };

describe('merge', () => {
  it('waits for all inputs', () => {
    expect(mergeNode.waitsForAllInputs).toBe(true);
  });

  it('combines as an array in predecessor order (default)', async () => {
    expect((await runNode(mergeNode, { params: {}, input, steps })).output).toEqual([{ n: 1 }, [2], null]);
  });

  it('combines as an object keyed by predecessor id', async () => {
    expect((await runNode(mergeNode, { params: { mode: 'object' }, input, steps })).output).toEqual(input);
  });

  it('takes the first branch output', async () => {
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input, steps })).output).toEqual({ n: 1 });
  });

  it('treats a single live branch output (the engine passes it bare) as one branch', async () => {
    // Only branch `a` ran; its output is an object that is not a predecessor map.
    const single = { name: 'John', a: 'not the output of step a' };
    expect((await runNode(mergeNode, { params: {}, input: single, steps: { ...steps, left: single } })).output).toEqual([single]);
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input: 'text', steps })).output).toBe('text');
    expect((await runNode(mergeNode, { params: { mode: 'object' }, input: {}, steps })).output).toEqual({ input: {} });
  });
});
