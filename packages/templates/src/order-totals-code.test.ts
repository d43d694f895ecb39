import { codeNode, runNode } from '@outrun/nodes';
import { describe, expect, it } from 'vitest';
import { orderTotalsCode } from './index';

describe('order-totals-code template', { timeout: 30_000 }, () => {
  const data = orderTotalsCode.workflow.nodes.find((n) => n.id === 'summarise')?.data;

  it('its code step computes totals and the volume discount', async () => {
    const body = { orderId: 'o-1', lines: [{ sku: 'a', qty: 8, unitPrice: 10 }, { sku: 'b', qty: 4, unitPrice: 30 }, { sku: 'a', qty: 1, unitPrice: 10 }] };
    const { output } = await runNode(codeNode, { params: data, input: { body } });
    expect(output).toEqual({ orderId: 'o-1', items: 13, skus: ['a', 'b'], subtotal: 210, discount: 0.05, total: 199.5 });
  });

  it('fails an empty order with the reason', async () => {
    await expect(runNode(codeNode, { params: data, input: { body: { lines: [] } } })).rejects.toMatchObject({ code: 'OUT_ERR_CODE_FAILED', message: expect.stringMatching(/^CodeFailure: the order has no lines \(line 3\)$/) as unknown });
  });
});
