import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createScriptClient, redisTarget, type ScriptClient } from '../src/bullmq/lock-heartbeat-redis.mjs';
const SET_IF = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("SET", KEYS[1], ARGV[2]) end return 0`;

let redis: Redis | undefined;
let client: ScriptClient | undefined;
let prefix = '';
afterEach(async () => {
  await client?.close();
  redis?.disconnect();
  if (prefix) await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

describe('the heartbeat thread Redis client (real Redis)', () => {
  it('reads a REDIS_URL and plain options; leaves sentinels to ioredis', () => {
    expect(redisTarget('redis://u%40x:p%3Aw@example.org:6380/4')).toEqual({ host: 'example.org', port: 6380, username: 'u@x', password: 'p:w', db: 4 });
    expect(redisTarget('rediss://[::1]')).toEqual({ host: '::1', port: 6379, db: 0, tls: {} });
    expect(redisTarget({ host: 'h', port: 7000, password: 's', db: 2 })).toEqual({ host: 'h', port: 7000, password: 's', db: 2 });
    expect(redisTarget({ sentinels: [{ host: 'a', port: 1 }], name: 'm' })).toBeNull();
  });

  it('runs a script pipelined in the selected database, sending it whole when the server does not know it', async () => {
    prefix = uniquePrefix('hbc');
    redis = new Redis(`${SHARED_REDIS_URL}/3`);
    await redis.set(`${prefix}:a`, 'mine');
    await redis.set(`${prefix}:b`, 'theirs');
    // A script this server has never seen (the comment makes its SHA unique): the first EVALSHA answers NOSCRIPT, EVAL follows.
    client = createScriptClient(redisTarget(`${SHARED_REDIS_URL}/3`)!, `-- ${prefix}\n${SET_IF}`);
    const replies = await client.runAll([
      { keys: [`${prefix}:a`], args: ['mine', 'renewed'] },
      { keys: [`${prefix}:b`], args: ['mine', 'renewed'] },
    ]);
    expect(replies).toEqual(['OK', 0]);
    expect(await redis.get(`${prefix}:a`)).toBe('renewed');
    expect(await redis.get(`${prefix}:b`)).toBe('theirs');
    expect(await client.runAll([{ keys: [`${prefix}:a`], args: ['renewed', 'again'] }])).toEqual(['OK']);
    await redis.del(`${prefix}:a`, `${prefix}:b`);
  });

  it('fails a call when nothing listens, and tries a new connection on the next call', async () => {
    client = createScriptClient({ host: '127.0.0.1', port: 1, db: 0 }, SET_IF);
    await expect(client.runAll([{ keys: ['k'], args: ['a', 'b'] }])).rejects.toThrow();
    await expect(client.runAll([{ keys: ['k'], args: ['a', 'b'] }])).rejects.toThrow(); // reconnects per call, still down
  });
});
