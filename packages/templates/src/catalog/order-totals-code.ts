import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/**
 * The `code` node at work: a webhook posts an order; TypeScript computes line totals, a volume discount and a
 * summary (with `helpers`); the summary is the webhook's answer, and orders over 500 are posted on for fulfilment review.
 */
const SUMMARISE = [
  'type Line = { sku: string; qty: number; unitPrice: number };',
  'const lines: Line[] = Array.isArray(input.body?.lines) ? input.body.lines : [];',
  'if (lines.length === 0) helpers.fail("the order has no lines");',
  'const subtotal = helpers.sum(lines.map((l) => l.qty * l.unitPrice));',
  '// 5 % off from 10 items, 10 % from 50',
  'const items = helpers.sum(lines, "qty");',
  'const discount = items >= 50 ? 0.1 : items >= 10 ? 0.05 : 0;',
  'return {',
  '  orderId: input.body.orderId ?? null,',
  '  items,',
  '  skus: helpers.uniq(lines.map((l) => l.sku)),',
  '  subtotal,',
  '  discount,',
  '  total: Math.round(subtotal * (1 - discount) * 100) / 100,',
  '};',
].join('\n');

export const orderTotalsCode = defineTemplate({
  id: 'order-totals-code',
  name: 'Order totals with code',
  description: 'A webhook receives an order; a TypeScript code step computes totals and a volume discount; orders over 500 are sent on for fulfilment review.',
  category: 'data',
  workflow: {
    name: 'Order totals',
    triggers: [{ id: 'order-posted', type: 'webhook', config: { responseMode: 'sync', syncTimeoutMs: 10_000 } }],
    nodes: [
      triggerNode('order', 'order-posted', 'Order received'),
      node('summarise', 'code', { language: 'typescript', code: SUMMARISE }, 1, 0, 'Compute totals'),
      node('is-big', 'condition', { left: '{{ input.total }}', operator: 'gt', right: 500 }, 2, 0, 'Over 500?'),
      node('review', 'http-request', { method: 'POST', url: 'https://fulfilment.example.com/review', bodyType: 'json', body: '{{ steps.summarise }}' }, 3, 0, 'Send for review'),
      node('answer', 'respond', { status: 200, body: '{{ steps.summarise }}' }, 2, 1, 'Answer summary'),
    ],
    edges: [edge('order', 'summarise'), edge('summarise', 'answer'), edge('summarise', 'is-big'), edge('is-big', 'review', 'true')],
  },
});
