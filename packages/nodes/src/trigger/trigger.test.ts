import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { triggerNode } from '.';

describe('trigger', () => {
  it('outputs the trigger payload', async () => {
    const result = await runNode(triggerNode, { params: { triggerId: 't1' }, trigger: { lead: 'John Doe' }, input: 'ignored' });
    expect(result.output).toEqual({ lead: 'John Doe' });
    expect(result.handle).toBeUndefined();
  });

  it('has no inputs and one output, and needs a triggerId', async () => {
    expect(triggerNode.inputs).toEqual([]);
    expect(triggerNode.outputs).toEqual([{ id: 'out' }]);
    await expect(runNode(triggerNode, { params: {} })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.triggerId' }] });
    await expect(runNode(triggerNode, { params: { triggerId: 't', extra: 1 } })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
  });
});
