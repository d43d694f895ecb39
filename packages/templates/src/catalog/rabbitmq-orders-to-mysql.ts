import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** RabbitMQ order queue → HTTP pricing call → MySQL upsert (docs/connectors.md). */
export const rabbitmqOrdersToMysql = defineTemplate({
  id: 'rabbitmq-orders-to-mysql',
  name: 'RabbitMQ orders → HTTP → MySQL',
  description: 'Each message of an orders queue (acked once its run is recorded) is priced by an HTTP API and upserted into a MySQL/MariaDB table.',
  category: 'data',
  workflow: {
    name: 'Orders from RabbitMQ',
    triggers: [{ id: 'orders-queue', type: 'event_source', config: { source: 'rabbitmq.queueMessages@1', params: { queue: 'orders' }, capacity: 16 } }],
    nodes: [
      triggerNode('order', 'orders-queue', 'Order message'),
      node('price', 'http-request', { method: 'POST', url: 'https://pricing.example.com/quote', bodyType: 'json', body: { sku: '{{ trigger.body.sku }}', qty: '{{ trigger.body.qty }}' } }, 1, 0, 'Price the order'),
      node('save', 'mysql.insert@1', {
        table: 'orders',
        upsert: true,
        rows: [{ order_id: '{{ trigger.body.id }}', sku: '{{ trigger.body.sku }}', qty: '{{ trigger.body.qty }}', total: '{{ steps.price.body.total }}' }],
      }, 2, 0, 'Upsert into MySQL'),
    ],
    edges: [edge('order', 'price'), edge('price', 'save')],
  },
});
