import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** Stripe webhook (Stripe-Signature checked) routed by event type. */
export const stripePayments = defineTemplate({
  id: 'stripe-payments',
  name: 'Stripe payment events',
  description: 'Receives signed Stripe events and routes succeeded, failed and refunded payments to fulfilment, dunning and accounting.',
  category: 'payments',
  workflow: {
    name: 'Stripe payments',
    triggers: [{ id: 'stripe-events', type: 'webhook', config: { auth: { type: 'stripe' } } }],
    nodes: [
      triggerNode('stripe-event', 'stripe-events', 'Stripe event'),
      node('by-type', 'switch', {
        value: '{{ input.body.type }}',
        cases: [
          { id: 'succeeded', label: 'Payment succeeded', value: 'payment_intent.succeeded' },
          { id: 'failed', label: 'Payment failed', value: 'payment_intent.payment_failed' },
          { id: 'refunded', label: 'Charge refunded', value: 'charge.refunded' },
        ],
      }, 1, 0, 'Route by event type'),
      node('fulfil', 'http-request', { method: 'POST', url: 'https://shop.example.com/api/orders/fulfil', bodyType: 'json', body: { paymentIntent: '{{ input.body.data.object.id }}', amount: '{{ input.body.data.object.amount }}' } }, 2, 0, 'Fulfil order'),
      node('dunning', 'http-request', { method: 'POST', url: 'https://shop.example.com/api/dunning', bodyType: 'json', body: { paymentIntent: '{{ input.body.data.object.id }}', reason: '{{ input.body.data.object.last_payment_error.message }}' } }, 2, 1, 'Start dunning'),
      node('book-refund', 'http-request', { method: 'POST', url: 'https://accounting.example.com/api/refunds', bodyType: 'json', body: { charge: '{{ input.body.data.object.id }}', amount: '{{ input.body.data.object.amount_refunded }}' } }, 2, 2, 'Book refund'),
      node('ignore', 'noop', {}, 2, 3, 'Other events'),
    ],
    edges: [
      edge('stripe-event', 'by-type'),
      edge('by-type', 'fulfil', 'succeeded'),
      edge('by-type', 'dunning', 'failed'),
      edge('by-type', 'book-refund', 'refunded'),
      edge('by-type', 'ignore', 'default'),
    ],
  },
});
