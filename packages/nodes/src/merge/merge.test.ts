import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { mergeNode } from '.';

// What the engine passes: live branch outputs keyed by predecessor id (also in ctx.steps).
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

  it('treats a one-entry map (one live branch) as one branch, whatever that output looks like', async () => {
    // The engine always passes the map to a waitsForAllInputs node: no guessing from the output's shape.
    const single = { left: { name: 'John', a: 'not the output of step a' } };
    expect((await runNode(mergeNode, { params: {}, input: single, steps })).output).toEqual([single.left]);
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input: { a: 'text' }, steps })).output).toBe('text');
    expect((await runNode(mergeNode, { params: { mode: 'object' }, input: { a: {} }, steps })).output).toEqual({ a: {} });
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input: {}, steps })).output).toBeNull();
  });

  it('keys a non-map input (a merge that starts the run) as `input`', async () => {
    expect((await runNode(mergeNode, { params: { mode: 'object' }, input: 'text', steps })).output).toEqual({ input: 'text' });
  });
});
