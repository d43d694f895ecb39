import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { respondNode } from '.';

describe('respond', () => {
  it('sets the response and outputs it', async () => {
    const result = await runNode(respondNode, { params: { status: 201, headers: { 'X-Run': 'r1' }, body: { ok: true } }, input: { ignored: 1 } });
    expect(result.response).toEqual({ status: 201, headers: { 'X-Run': 'r1' }, body: { ok: true } });
    expect(result.output).toEqual({ status: 201, headers: { 'X-Run': 'r1' }, body: { ok: true } });
  });

  it('defaults to 200, no headers and the input as body', async () => {
    const result = await runNode(respondNode, { params: {}, input: { lead: 'hot' } });
    expect(result.response).toEqual({ status: 200, headers: {}, body: { lead: 'hot' } });
  });

  it('rejects impossible statuses and header names', async () => {
    await expect(runNode(respondNode, { params: { status: 99 } })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.status' }] });
    await expect(runNode(respondNode, { params: { status: 200.5 } })).rejects.toMatchObject({ details: [{ path: 'data.status' }] });
    await expect(runNode(respondNode, { params: { headers: { 'bad header': 'x' } } })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
  });
});
