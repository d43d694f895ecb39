/**
 * RabbitMQ (AMQP 0-9-1): publish with publisher confirms; a trigger consuming a queue (ack after the run is recorded,
 * nack/requeue when it could not be, prefetch = the trigger's capacity).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector, defineTrigger } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import { rabbitCredential } from './credential';
import { connect } from './connect';

const Name = z.string().max(255);

const publish = defineAction({
  label: 'Publish',
  description: 'Publishes a message to an exchange and waits for the broker to confirm it (publisher confirms).',
  credential: rabbitCredential,
  params: z.object({
    exchange: Name.default('').describe('Empty: the default exchange (routing key = queue name)'),
    routingKey: Name.default(''),
    message: z.unknown().describe('The body: JSON for objects, the text as is for strings'),
    persistent: z.boolean().default(true),
    headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    messageId: z.string().max(200).optional().describe('Defaults to the step idempotency key, so consumers can deduplicate a retried step'),
  }),
  async run({ params, credential, signal, idempotencyKey }) {
    const connection = await connect(credential);
    const onAbort = () => void connection.close().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const channel = await connection.createConfirmChannel();
      const isText = typeof params.message === 'string';
      const body = Buffer.from(isText ? (params.message as string) : JSON.stringify(params.message ?? null));
      const messageId = params.messageId ?? idempotencyKey;
      await new Promise<void>((resolve, reject) => {
        // A refused publish (unknown exchange) closes the channel without calling the confirm callback.
        channel.once('error', (err: Error) => reject(err));
        channel.once('close', () => reject(new Error('the broker closed the channel before confirming the message')));
        channel.publish(params.exchange, params.routingKey, body, {
          persistent: params.persistent,
          messageId,
          contentType: isText ? 'text/plain' : 'application/json',
          headers: params.headers,
          mandatory: false,
        }, (err) => (err ? reject(new Error(`the broker did not confirm the message: ${String(err)}`)) : resolve()));
      });
      await channel.close().catch(() => undefined);
      return { confirmed: true, messageId, exchange: params.exchange, routingKey: params.routingKey, bytes: body.length };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await connection.close().catch(() => undefined);
    }
  },
});

const queueMessages = defineTrigger({
  label: 'Queue message',
  description: 'Starts a run for each message of a queue; acks once the run is recorded, requeues when it could not be.',
  credential: rabbitCredential,
  params: z.object({
    queue: Name.min(1),
    assertQueue: z.boolean().default(true).describe('Declare the queue (durable) if it does not exist'),
  }),
  async open(ctx) {
    const { params, credential, signal } = ctx;
    const connection = await connect(credential);
    connection.on('error', (err: unknown) => ctx.reportError(err));
    const channel = await connection.createChannel();
    channel.on('error', (err: unknown) => ctx.reportError(err));
    if (params.assertQueue) await channel.assertQueue(params.queue, { durable: true });
    // The broker sends at most `capacity` unacked messages: the queue is drained no faster than runs are recorded.
    await channel.prefetch(ctx.capacity);
    let closed = false;
    // A broker-side close (restart) makes the listener reopen the source: it surfaces as an error here.
    connection.on('close', () => {
      if (!closed && !signal.aborted) ctx.reconnect(new Error('RabbitMQ connection closed; the trigger reopens it'));
    });
    const { consumerTag } = await channel.consume(params.queue, (message) => {
      if (!message) return;
      const text = message.content.toString('utf8');
      let body: JsonValue = text;
      if (message.properties.contentType !== 'text/plain') {
        try { body = JSON.parse(text) as JsonValue; } catch { /* not JSON: kept as text */ }
      }
      const messageId = typeof message.properties.messageId === 'string' && message.properties.messageId ? message.properties.messageId : undefined;
      ctx.deliver({
        // A message id makes redelivery (crash before the ack) a no-op; without one each delivery is a new run.
        id: `${params.queue}:${messageId ?? randomUUID()}`,
        payload: { queue: params.queue, messageId: messageId ?? null, routingKey: message.fields.routingKey, exchange: message.fields.exchange, redelivered: message.fields.redelivered, headers: (message.properties.headers ?? {}) as JsonValue, body },
      }).then(
        () => { if (!closed) channel.ack(message); },
        (err: unknown) => {
          ctx.reportError(err);
          // Requeued after a pause, so a store outage is not a hot redelivery loop.
          setTimeout(() => { if (!closed) channel.nack(message, false, true); }, 500);
        },
      );
    }, { noAck: false });
    return {
      async close() {
        closed = true;
        await channel.cancel(consumerTag).catch(() => undefined);
        await connection.close().catch(() => undefined);
      },
    };
  },
});

export default defineConnector({
  name: 'rabbitmq',
  version: '1.0.0',
  label: 'RabbitMQ',
  description: 'Publish with confirms to RabbitMQ (AMQP 0-9-1); a trigger consuming a queue.',
  category: 'messaging',
  icon: 'send',
  credentials: { connection: rabbitCredential },
  actions: { publish },
  triggers: { queueMessages },
});
