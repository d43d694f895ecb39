/** Against the real RabbitMQ on :5672, in a vhost of our own (created and deleted with rabbitmqctl). */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import rabbitmq from './index';

const vhost = `connectors-${randomBytes(4).toString('hex')}`;
const credential = { host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest', vhost };
const ctl = (...args: string[]) => execFileSync('rabbitmqctl', args, { stdio: 'pipe', timeout: 60_000 });
let admin: amqp.ChannelModel;

beforeAll(() => {
  ctl('add_vhost', vhost);
  ctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  return amqp.connect(`amqp://guest:guest@127.0.0.1:5672/${vhost}`).then((c) => void (admin = c));
});
afterAll(async () => {
  await admin?.close();
  ctl('delete_vhost', vhost);
});

describe('rabbitmq', () => {
  it('publishes with a confirm; the message carries the step idempotency key as its id', async () => {
    const ch = await admin.createChannel();
    await ch.assertQueue('published', { durable: true });
    const { output } = await runAction(rabbitmq, 'publish', { credential, runId: 'run-7', params: { routingKey: 'published', message: { order: 1 } } });
    expect(output).toMatchObject({ confirmed: true, messageId: 'run-7:node-1:1' });
    const got = await ch.get('published', { noAck: true });
    expect(got && JSON.parse(got.content.toString())).toEqual({ order: 1 });
    expect(got && got.properties.messageId).toBe('run-7:node-1:1');
    expect(got && got.properties.deliveryMode).toBe(2);
    await ch.close();
  });

  it('refuses a publish to an exchange that does not exist (not retriable)', async () => {
    await expect(runAction(rabbitmq, 'publish', { credential, params: { exchange: 'nope', routingKey: 'x', message: 'hi' } })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_FAILED' });
  });

  it('queue trigger: prefetch = capacity, ack after recorded, requeue when recording fails, no loss across a restart', async () => {
    const ch = await admin.createChannel();
    await ch.assertQueue('orders', { durable: true });
    for (let i = 1; i <= 6; i++) ch.sendToQueue('orders', Buffer.from(JSON.stringify({ n: i })), { messageId: `m-${i}`, persistent: true });
    // Recording is slow: never more than `capacity` messages are in flight.
    let inFlight = 0;
    let maxInFlight = 0;
    let refuseM3 = true;
    const first = await runSource(rabbitmq, 'queueMessages', {
      credential, params: { queue: 'orders' }, capacity: 2,
      onDeliver: async (e) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
        if (e.id === 'orders:m-3' && refuseM3) throw new Error('store down');
      },
    });
    await first.waitFor(5);
    refuseM3 = false;
    await first.waitFor(6);
    await first.close();
    expect(new Set(first.events.map((e) => e.id))).toEqual(new Set([1, 2, 3, 4, 5, 6].map((i) => `orders:m-${i}`)));
    expect(first.events).toHaveLength(6);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    const q = await ch.checkQueue('orders');
    expect(q.messageCount).toBe(0);
    // Published while no consumer runs: delivered after the restart.
    ch.sendToQueue('orders', Buffer.from('{"n":7}'), { messageId: 'm-7' });
    const second = await runSource(rabbitmq, 'queueMessages', { credential, params: { queue: 'orders' } });
    const [event] = await second.waitFor(1);
    await second.close();
    expect(event).toMatchObject({ id: 'orders:m-7', payload: { body: { n: 7 }, messageId: 'm-7' } });
    await ch.close();
  });
});
