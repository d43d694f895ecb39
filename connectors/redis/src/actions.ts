/** Redis actions: get, set (optional TTL / only-if-absent), incr, publish, stream add. Keys get the credential's prefix. */
import { z } from 'zod';
import { defineAction } from '@outrun/connector-kit';
import { redisCredential } from './credential';
import { withRedis } from './connect';

const Key = z.string().min(1).max(1024);
const Value = z.union([z.string().max(1_000_000), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const text = (value: z.infer<typeof Value>): string => (typeof value === 'string' ? value : JSON.stringify(value));

export const get = defineAction({
  label: 'Get',
  description: 'Reads a string key (null when absent).',
  credential: redisCredential,
  params: z.object({ key: Key }),
  async run({ params, credential, signal }) {
    const value = await withRedis(credential, signal, (r) => r.get(credential.keyPrefix + params.key));
    return { key: params.key, value };
  },
});

export const set = defineAction({
  label: 'Set',
  description: 'Writes a key (objects are stored as JSON), with an optional TTL and only-if-absent.',
  credential: redisCredential,
  params: z.object({
    key: Key,
    value: Value,
    ttlSeconds: z.number().int().min(1).max(31_536_000).optional(),
    onlyIfAbsent: z.boolean().default(false),
  }),
  async run({ params, credential, signal }) {
    const key = credential.keyPrefix + params.key;
    const result = await withRedis(credential, signal, (r) => {
      const v = text(params.value);
      if (params.ttlSeconds !== undefined && params.onlyIfAbsent) return r.set(key, v, 'EX', params.ttlSeconds, 'NX');
      if (params.ttlSeconds !== undefined) return r.set(key, v, 'EX', params.ttlSeconds);
      if (params.onlyIfAbsent) return r.set(key, v, 'NX');
      return r.set(key, v);
    });
    return { key: params.key, written: result === 'OK' };
  },
});

export const incr = defineAction({
  label: 'Increment',
  description: 'Adds to an integer key atomically and returns the new value.',
  credential: redisCredential,
  params: z.object({ key: Key, by: z.number().int().default(1) }),
  async run({ params, credential, signal }) {
    const value = await withRedis(credential, signal, (r) => r.incrby(credential.keyPrefix + params.key, params.by));
    return { key: params.key, value };
  },
});

export const publish = defineAction({
  label: 'Publish',
  description: 'Publishes a message on a pub/sub channel; returns how many subscribers received it.',
  credential: redisCredential,
  params: z.object({ channel: Key, message: Value }),
  async run({ params, credential, signal }) {
    const receivers = await withRedis(credential, signal, (r) => r.publish(credential.keyPrefix + params.channel, text(params.message)));
    return { channel: params.channel, receivers };
  },
});

export const streamAdd = defineAction({
  label: 'Stream add',
  description: 'Appends an entry (field → value) to a stream (XADD), optionally capping its length.',
  credential: redisCredential,
  params: z.object({
    stream: Key,
    fields: z.record(z.string().min(1).max(256), Value).refine((f) => Object.keys(f).length > 0, 'at least one field'),
    maxLength: z.number().int().min(1).optional().describe('Trim to about this many entries (MAXLEN ~)'),
  }),
  async run({ params, credential, signal }) {
    const args = Object.entries(params.fields).flatMap(([k, v]) => [k, text(v)]);
    const stream = credential.keyPrefix + params.stream;
    const id = await withRedis(credential, signal, (r) => (params.maxLength === undefined ? r.xadd(stream, '*', ...args) : r.xadd(stream, 'MAXLEN', '~', params.maxLength, '*', ...args)));
    return { stream: params.stream, id };
  },
});
