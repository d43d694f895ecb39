/** Against the real Redis on :6379, every key under a prefix of our own, deleted afterwards. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runAction, runSource } from '@outrun/connector-kit/testing';
import redis from './index';

const prefix = `connectors:${randomBytes(4).toString('hex')}:`;
const credential = { host: '127.0.0.1', port: 6379, keyPrefix: prefix };
const admin = new Redis({ host: '127.0.0.1', port: 6379 });

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  admin.disconnect();
});

describe('redis actions', () => {
  it('set / get / incr under the credential prefix', async () => {
    await runAction(redis, 'set', { credential, params: { key: 'greeting', value: { hello: 'world' }, ttlSeconds: 60 } });
    expect(await admin.get(`${prefix}greeting`)).toBe('{"hello":"world"}');
    expect(await admin.ttl(`${prefix}greeting`)).toBeGreaterThan(0);
    const nx = await runAction(redis, 'set', { credential, params: { key: 'greeting', value: 'other', onlyIfAbsent: true } });
    expect(nx.output).toMatchObject({ written: false });
    expect((await runAction(redis, 'get', { credential, params: { key: 'greeting' } })).output).toEqual({ key: 'greeting', value: '{"hello":"world"}' });
    await runAction(redis, 'incr', { credential, params: { key: 'n' } });
    expect((await runAction(redis, 'incr', { credential, params: { key: 'n', by: 5 } })).output).toEqual({ key: 'n', value: 6 });
  });

  it('publishes to a subscriber and appends to a stream', async () => {
    const sub = new Redis({ host: '127.0.0.1', port: 6379 });
    const got = new Promise<string>((resolve) => sub.on('message', (_c: string, m: string) => resolve(m)));
    await sub.subscribe(`${prefix}news`);
    const { output } = await runAction(redis, 'publish', { credential, params: { channel: 'news', message: { a: 1 } } });
    expect(output).toEqual({ channel: 'news', receivers: 1 });
    expect(await got).toBe('{"a":1}');
    sub.disconnect();
    const added = await runAction(redis, 'streamAdd', { credential, params: { stream: 's1', fields: { order: 'o-1', qty: 2 } } });
    const entries = await admin.xrange(`${prefix}s1`, '-', '+');
    expect(entries).toEqual([[(added.output as { id: string }).id, ['order', 'o-1', 'qty', '2']]]);
  });
});

describe('redis stream trigger', () => {
  it('acks only recorded entries; a restart re-reads its pending ones and skips none', async () => {
    const params = { stream: 'orders', blockMs: 200 };
    let refuse = (id: string) => id.endsWith('never');
    const first = await runSource(redis, 'streamEntries', { credential, params, consumerName: 'listener-1', failDelivery: (e) => refuse(e.id) });
    for (let i = 1; i <= 4; i++) await admin.xadd(`${prefix}orders`, '*', 'n', String(i));
    await first.waitFor(4);
    // The next entry cannot be recorded: it stays pending (not acked) while the source is stopped.
    refuse = () => true;
    await admin.xadd(`${prefix}orders`, '*', 'n', '5');
    await new Promise((r) => setTimeout(r, 400));
    await first.close();
    expect(first.events.map((e) => (e.payload as { fields: { n: string } }).fields.n)).toEqual(['1', '2', '3', '4']);
    const pending = (await admin.xpending(`${prefix}orders`, 'outrun')) as [number, ...unknown[]];
    expect(pending[0]).toBe(1);
    await admin.xadd(`${prefix}orders`, '*', 'n', '6');
    const second = await runSource(redis, 'streamEntries', { credential, params, consumerName: 'listener-1' });
    const events = await second.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    await second.close();
    expect(events.map((e) => (e.payload as { fields: { n: string } }).fields.n)).toEqual(['5', '6']);
    expect(((await admin.xpending(`${prefix}orders`, 'outrun')) as [number])[0]).toBe(0);
  });

  it('pub/sub trigger receives messages on a pattern', async () => {
    const source = await runSource(redis, 'pubsubMessages', { credential, params: { channel: 'events.*', pattern: true } });
    await admin.publish(`${prefix}events.signup`, '{"user":"u1"}');
    const [event] = await source.waitFor(1);
    await source.close();
    expect(event!.payload).toEqual({ channel: 'events.signup', message: { user: 'u1' } });
  });
});
