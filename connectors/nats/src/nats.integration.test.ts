/** Against the real nats-server (JetStream) on :4222, in a stream of our own deleted afterwards. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import connector from './index';

const id = randomBytes(4).toString('hex');
const stream = `CONNECTORS_${id}`;
const subject = `connectors.${id}`;
const credential = { servers: ['127.0.0.1:4222'] };
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' });
  await (await nc.jetstreamManager()).streams.add({ name: stream, subjects: [`${subject}.>`] });
});
afterAll(async () => {
  await (await nc.jetstreamManager()).streams.delete(stream);
  await nc.close();
});

describe('nats jetstream', () => {
  it('publishes; a retried step (same idempotency key) is stored once', async () => {
    const first = await runAction(connector, 'publish', { credential, runId: 'r1', params: { subject: `${subject}.pub`, message: { a: 1 } } });
    const again = await runAction(connector, 'publish', { credential, runId: 'r1', params: { subject: `${subject}.pub`, message: { a: 1 } } });
    expect(first.output).toMatchObject({ stream, duplicate: false });
    expect(again.output).toMatchObject({ stream, duplicate: true, seq: (first.output as { seq: number }).seq });
  });

  it('durable consumer: acked once recorded, nak redelivers, a restart resumes where it stopped', async () => {
    const js = nc.jetstream();
    const params = { stream, filterSubject: `${subject}.orders`, durable: `d_${id}` };
    let refuse = true;
    const first = await runSource(connector, 'durableMessages', { credential, params, capacity: 4, onDeliver: async (e) => {
      if (refuse && (e.payload as { message: { n: number } }).message.n === 2) {
        refuse = false;
        throw new Error('store down');
      }
    } });
    for (let n = 1; n <= 3; n++) await js.publish(`${subject}.orders`, new TextEncoder().encode(JSON.stringify({ n })));
    await first.waitFor(3, 15_000);
    await first.close();
    await js.publish(`${subject}.orders`, new TextEncoder().encode(JSON.stringify({ n: 4 })));
    const second = await runSource(connector, 'durableMessages', { credential, params });
    await second.waitFor(1, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    await second.close();
    const ns = [...first.events, ...second.events].map((e) => (e.payload as { message: { n: number } }).message.n).sort();
    expect(ns).toEqual([1, 2, 3, 4]);
    const info = await (await nc.jetstreamManager()).consumers.info(stream, `d_${id}`);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});
