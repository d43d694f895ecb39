import type { Redis } from 'ioredis';
import type { EventBus } from '../ports';
import { createPublishBatcher, decodeMessages } from './publish-batcher';
import { openRedis, queueUnavailable, type RedisConnection } from './redis-connection';

export interface RedisEventBusOptions {
  /** `REDIS_URL` or ioredis options. */
  url: RedisConnection;
  /** Channel prefix (`${prefix}:ev:${channel}`). @default "outrun" */
  prefix?: string;
}

type Listener = (message: unknown) => void;

/**
 * Live-view fan-out over Redis pub/sub: one publishing connection and a separate subscriber connection
 * (a subscribed ioredis client cannot publish). Messages are JSON; those published on one channel in one
 * event-loop turn travel as one PUBLISH (`publish-batcher.ts`). Delivery is best effort, like pub/sub itself.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const prefix = `${options.prefix ?? 'outrun'}:ev:`;
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  const channels = new Map<string, Set<Listener>>();

  const publisher = () => {
    if (pub) return pub;
    // Few retries: a publish must not hang a run's progress while Redis is down.
    pub = openRedis(options.url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    pub.on('error', () => undefined); // reconnects on its own; publish() reports the failure
    return pub;
  };
  const subscriber = () => {
    if (sub) return sub;
    sub = openRedis(options.url, { maxRetriesPerRequest: null });
    sub.on('error', () => undefined); // reconnects on its own and re-subscribes (autoResubscribe)
    sub.on('message', (channel: string, raw: string) => {
      const listeners = channels.get(channel.slice(prefix.length));
      if (!listeners) return;
      const messages = decodeMessages(raw);
      if (!messages) return;
      for (const message of messages) {
        for (const listener of [...listeners]) {
          try {
            listener(message);
          } catch {
            // one bad subscriber must not starve the others
          }
        }
      }
    });
    return sub;
  };
  const batcher = createPublishBatcher((channel, payload) => publisher().publish(prefix + channel, payload));

  return {
    async publish(channel, message) {
      try {
        await batcher.publish(channel, JSON.stringify(message));
      } catch (cause) {
        throw queueUnavailable(cause, 'The event bus (Redis) is unavailable.');
      }
    },
    async subscribe(channel, listener) {
      let listeners = channels.get(channel);
      const registration: Listener = (m) => listener(m);
      if (!listeners) {
        channels.set(channel, (listeners = new Set([registration])));
        try {
          await subscriber().subscribe(prefix + channel);
        } catch (cause) {
          channels.delete(channel);
          throw queueUnavailable(cause, 'The event bus (Redis) is unavailable.');
        }
      } else {
        listeners.add(registration);
      }
      const own = listeners;
      return async () => {
        own.delete(registration);
        if (own.size > 0 || channels.get(channel) !== own) return;
        channels.delete(channel);
        await sub?.unsubscribe(prefix + channel).catch(() => undefined);
      };
    },
    async close() {
      await batcher.flush().catch(() => undefined);
      channels.clear();
      await Promise.all([pub?.quit().catch(() => pub?.disconnect()), sub?.quit().catch(() => sub?.disconnect())]);
      pub = undefined;
      sub = undefined;
    },
  };
}
