import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { setNode } from '.';

describe('set', () => {
  it('assigns dotted paths on a copy of the input, leaving the input untouched', async () => {
    const input = { customer: { name: 'Ann', address: { city: 'Oslo' } }, tags: ['a'] };
    const result = await runNode(setNode, {
      params: { fields: [{ name: 'customer.tier', value: 'gold' }, { name: 'customer.address.zip', value: '0150' }, { name: 'score', value: 0.9 }] },
      input,
    });
    expect(result.output).toEqual({ customer: { name: 'Ann', tier: 'gold', address: { city: 'Oslo', zip: '0150' } }, tags: ['a'], score: 0.9 });
    expect(input).toEqual({ customer: { name: 'Ann', address: { city: 'Oslo' } }, tags: ['a'] });
  });

  it('starts from an empty object when keepInput is false or the input is not an object', async () => {
    const fields = [{ name: 'a.b', value: 1 }];
    expect((await runNode(setNode, { params: { fields, keepInput: false }, input: { x: 1 } })).output).toEqual({ a: { b: 1 } });
    expect((await runNode(setNode, { params: { fields }, input: [1, 2] })).output).toEqual({ a: { b: 1 } });
    expect((await runNode(setNode, { params: { fields }, input: 'text' })).output).toEqual({ a: { b: 1 } });
  });

  it('later fields win, intermediate scalars are replaced, and array indexes are set', async () => {
    const result = await runNode(setNode, {
      params: { fields: [{ name: 'x', value: 1 }, { name: 'x.y', value: 2 }, { name: 'list.1', value: 'B' }, { name: 'x.y', value: 3 }] },
      input: { list: ['a', 'b'] },
    });
    expect(result.output).toEqual({ x: { y: 3 }, list: ['a', 'B'] });
  });

  it('never writes into the input or into object values of earlier fields (params are shared between runs)', async () => {
    const input = { a: { b: { c: 1 } }, keep: { big: [1, 2, 3] } };
    const frozen = structuredClone(input);
    const params = { fields: [{ name: 'obj', value: { k: 1 } }, { name: 'obj.k2', value: 2 }, { name: 'a.b.d', value: 2 }] };
    const result = await runNode(setNode, { params, input });
    expect(result.output).toEqual({ a: { b: { c: 1, d: 2 } }, keep: { big: [1, 2, 3] }, obj: { k: 1, k2: 2 } });
    expect(input).toEqual(frozen);
    expect(params.fields[0]?.value).toEqual({ k: 1 });
    expect((result.output as typeof input).keep).toBe(input.keep); // untouched subtrees are shared, not copied
  });

  it('refuses prototype-polluting and empty paths', async () => {
    for (const name of ['__proto__.polluted', 'a.constructor.prototype', 'a..b', '']) {
      await expect(runNode(setNode, { params: { fields: [{ name, value: 1 }] }, input: {} }), name).rejects.toMatchObject({
        code: ErrorCode.INVALID_NODE_PARAMS,
        details: [{ path: 'data.fields.0.name' }],
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
