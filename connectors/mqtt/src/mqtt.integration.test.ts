/** Against the real Mosquitto on :1883, on topics under a prefix of our own. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import connector from './index';

const prefix = `connectors-${randomBytes(4).toString('hex')}`;
const credential = { host: '127.0.0.1', port: 1883 };

describe('mqtt', () => {
  it('publishes at QoS 0 and 1 to a real subscriber', async () => {
    const sub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5 });
    const got: Array<{ topic: string; body: string; qos: number }> = [];
    sub.on('message', (topic, payload, packet) => got.push({ topic, body: payload.toString(), qos: packet.qos }));
    await sub.subscribeAsync(`${prefix}/pub/#`, { qos: 1 });
    await runAction(connector, 'publish', { credential, params: { topic: `${prefix}/pub/a`, message: { t: 21 }, qos: 0 } });
    await runAction(connector, 'publish', { credential, params: { topic: `${prefix}/pub/b`, message: 'hello', qos: 1 } });
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await sub.endAsync();
    expect(got.sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
      { topic: `${prefix}/pub/a`, body: '{"t":21}', qos: 0 },
      { topic: `${prefix}/pub/b`, body: 'hello', qos: 1 },
    ]);
  });

  it('topic trigger: QoS 1 persistent session keeps messages published while it was down', async () => {
    const params = { topicFilter: `${prefix}/orders/+`, idField: 'id' };
    const consumerName = `${prefix}-trigger`;
    const first = await runSource(connector, 'topicMessages', { credential, params, consumerName });
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await pub.publishAsync(`${prefix}/orders/eu`, JSON.stringify({ id: 'o1' }), { qos: 1 });
    await first.waitFor(1);
    await first.close();
    await pub.publishAsync(`${prefix}/orders/us`, JSON.stringify({ id: 'o2' }), { qos: 1 });
    await pub.publishAsync(`${prefix}/other`, JSON.stringify({ id: 'x' }), { qos: 1 });
    const second = await runSource(connector, 'topicMessages', { credential, params, consumerName });
    const events = await second.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    await second.close();
    await pub.endAsync();
    expect(first.events.map((e) => e.id)).toEqual([`${prefix}/orders/eu:o1`]);
    expect(events.map((e) => e.id)).toEqual([`${prefix}/orders/us:o2`]);
    // Clear the persistent session.
    const clean = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, clientId: consumerName, clean: true });
    await clean.endAsync();
  });
});
