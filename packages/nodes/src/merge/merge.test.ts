import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { mergeNode } from '.';

const input = { a: { n: 1 }, b: [2], c: null };

describe('merge', () => {
  it('waits for all inputs', () => {
    expect(mergeNode.waitsForAllInputs).toBe(true);
  });

  it('combines as an array in predecessor order (default)', async () => {
    expect((await runNode(mergeNode, { params: {}, input })).output).toEqual([{ n: 1 }, [2], null]);
  });

  it('combines as an object keyed by predecessor id', async () => {
    expect((await runNode(mergeNode, { params: { mode: 'object' }, input })).output).toEqual(input);
  });

  it('takes the first branch output', async () => {
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input })).output).toEqual({ n: 1 });
    expect((await runNode(mergeNode, { params: { mode: 'first' }, input: {} })).output).toBeNull();
  });

  it('treats a non-object input as no branches', async () => {
    expect((await runNode(mergeNode, { params: {}, input: 'x' })).output).toEqual([]);
  });
});
