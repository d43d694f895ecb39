import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { noopNode } from '.';

describe('noop', () => {
  it('passes the input through unchanged', async () => {
    const input = { a: [1, { b: null }] };
    expect((await runNode(noopNode, { params: {}, input })).output).toEqual(input);
    expect((await runNode(noopNode, { params: {} })).output).toBeNull();
  });

  it('rejects unknown params', async () => {
    await expect(runNode(noopNode, { params: { x: 1 } })).rejects.toThrow(/Invalid parameters/);
  });
});
