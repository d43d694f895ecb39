import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import type { HandleSpec } from '@outrun/engine';
import { runNode } from '../testing/run-node';
import { SwitchParams, switchNode } from '.';

const cases = [
  { id: 'hot', label: 'Hot lead', value: 'hot_lead' },
  { id: 'big', operator: 'gte', value: 1000 },
  { id: 'vip', operator: 'contains', value: 'vip' },
];

describe('switch', () => {
  it('routes to the first matching case', async () => {
    const route = async (value: unknown) => (await runNode(switchNode, { params: { value, cases }, input: { x: 1 } })).handle;
    expect(await route('hot_lead')).toBe('hot');
    expect(await route(5000)).toBe('big');
    expect(await route(['vip', 'new'])).toBe('vip');
    expect(await route('cold')).toBe('default');
  });

  it('passes the input through', async () => {
    const result = await runNode(switchNode, { params: { value: 'x', cases }, input: { keep: true } });
    expect(result).toMatchObject({ output: { keep: true }, handle: 'default' });
  });

  it('has one output per case plus default, computed from params', () => {
    const outputs = switchNode.outputs as (p: unknown) => HandleSpec[];
    expect(typeof outputs).toBe('function');
    expect(outputs(SwitchParams.parse({ cases }))).toEqual([{ id: 'hot', label: 'Hot lead' }, { id: 'big' }, { id: 'vip' }, { id: 'default', label: 'Default' }]);
    expect(outputs(SwitchParams.parse({}))).toEqual([{ id: 'default', label: 'Default' }]);
  });

  it('rejects duplicate, reserved and malformed case ids', async () => {
    await expect(runNode(switchNode, { params: { cases: [{ id: 'a' }, { id: 'a' }] } })).rejects.toMatchObject({
      code: ErrorCode.INVALID_NODE_PARAMS,
      details: [{ path: 'data.cases.1.id' }],
    });
    await expect(runNode(switchNode, { params: { cases: [{ id: 'default' }] } })).rejects.toMatchObject({ details: [{ path: 'data.cases.0.id' }] });
    await expect(runNode(switchNode, { params: { cases: [{ id: 'has space' }] } })).rejects.toMatchObject({ details: [{ path: 'data.cases.0.id' }] });
  });

  it('reports a bad regex with the case path', async () => {
    await expect(runNode(switchNode, { params: { value: 'x', cases: [{ id: 'r', operator: 'matches', value: '[' }] } })).rejects.toMatchObject({
      details: [{ path: 'data.cases.0.value' }],
    });
  });

  it('routes catastrophic-backtracking patterns at once (RE2), with the right case', async () => {
    const cases = [
      { id: 'words', operator: 'matches', value: '^(\\w+\\s?)*$' },
      { id: 'as', operator: 'matches', value: '^(a+)+$' },
    ];
    const started = performance.now();
    const handle = async (value: string) => (await runNode(switchNode, { params: { value, cases } })).handle;
    expect(await handle('a'.repeat(25) + '!')).toBe('default');
    expect(await handle('a'.repeat(27) + '!')).toBe('default');
    expect(await handle('hello big world')).toBe('words');
    expect(await handle('a'.repeat(28))).toBe('words');
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(runNode(switchNode, { params: { value: 'ab', cases: [{ id: 'r', operator: 'matches', value: '(a)\\1' }] } })).rejects.toMatchObject({
      code: ErrorCode.INVALID_NODE_PARAMS,
      details: [{ path: 'data.cases.0.value' }],
    });
  });
});
