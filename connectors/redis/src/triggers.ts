/**
 * Redis event sources. Stream: a consumer group; each entry is acknowledged (XACK) only after its run is recorded,
 * and after a restart this consumer first re-reads its own pending entries, so nothing is missed or repeated (the
 * entry id is the run's idempotency key). Pub/sub: Redis keeps no copy of a message, so a message published while
 * the listener is down is lost — use a stream when that matters.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineTrigger } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import { redisCredential } from './credential';
import { createRedis } from './connect';

const MAX_BACKOFF_MS = 30_000;
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

const fieldsOf = (flat: string[]): Record<string, JsonValue> => {
  const out: Record<string, JsonValue> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
};

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

export const streamEntries = defineTrigger({
  label: 'Stream entry',
  description: 'Starts a run for each stream entry, through a consumer group (acknowledged once the run is recorded).',
  credential: redisCredential,
  params: z.object({
    stream: z.string().min(1).max(1024),
    group: z.string().min(1).max(200).default('outrun'),
    fromStart: z.boolean().default(false).describe('A new group starts at the first entry instead of new entries only'),
    blockMs: z.number().int().min(100).max(60_000).default(5000),
  }),
  async open(ctx) {
    const { params, credential, signal } = ctx;
    const stream = credential.keyPrefix + params.stream;
    const redis = await createRedis(credential);
    redis.on('error', (err) => ctx.reportError(err));
    await redis.connect();
    try {
      await redis.xgroup('CREATE', stream, params.group, params.fromStart ? '0' : '$', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    const loop = (async () => {
      // Our own pending entries first (delivered before a crash or a failed recording), then new ones.
      let readPending = true;
      let failures = 0;
      while (!signal.aborted) {
        try {
          const reply = (await redis.call('XREADGROUP', 'GROUP', params.group, ctx.consumerName, 'COUNT', ctx.capacity, ...(readPending ? [] : ['BLOCK', params.blockMs]), 'STREAMS', stream, readPending ? '0' : '>')) as StreamReply;
          const entries = reply?.[0]?.[1] ?? [];
          if (readPending && entries.length === 0) readPending = false;
          const results = await Promise.allSettled(entries.map(async ([id, flat]) => {
            await ctx.deliver({ id: `${params.stream}:${id}`, payload: { stream: params.stream, id, fields: fieldsOf(flat) } });
            await redis.xack(stream, params.group, id);
          }));
          const failed = results.find((r) => r.status === 'rejected');
          if (failed) {
            readPending = true;
            throw (failed as PromiseRejectedResult).reason;
          }
          failures = 0;
        } catch (err) {
          if (signal.aborted) break;
          failures++;
          ctx.reportError(err);
          readPending = true;
          await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 9)), signal);
          if (redis.status === 'end' || redis.status === 'close') await redis.connect().catch(() => undefined);
        }
      }
    })();
    return {
      async close() {
        redis.disconnect();
        await loop;
      },
    };
  },
});

export const pubsubMessages = defineTrigger({
  label: 'Pub/sub message',
  description: 'Starts a run for each message on a channel or pattern (at most once: Redis keeps no copy).',
  credential: redisCredential,
  params: z.object({
    channel: z.string().min(1).max(1024),
    pattern: z.boolean().default(false).describe('Treat the channel as a glob pattern (PSUBSCRIBE)'),
  }),
  async open(ctx) {
    const { params, credential } = ctx;
    const channel = credential.keyPrefix + params.channel;
    const redis = await createRedis(credential);
    redis.on('error', (err) => ctx.reportError(err));
    await redis.connect();
    let inFlight = 0;
    const onMessage = (from: string, message: string) => {
      // Pub/sub cannot be paused: beyond capacity a message is dropped and counted, never buffered without bound.
      if (inFlight >= ctx.capacity) {
        ctx.reportError(new Error(`redis pub/sub: ${ctx.capacity} runs already being recorded; a message on ${from} was dropped`));
        return;
      }
      inFlight++;
      let payload: JsonValue = message;
      try { payload = JSON.parse(message) as JsonValue; } catch { /* plain text */ }
      ctx.deliver({ id: `pubsub:${randomUUID()}`, payload: { channel: from.slice(credential.keyPrefix.length), message: payload } })
        .catch((err: unknown) => ctx.reportError(err))
        .finally(() => inFlight--);
    };
    if (params.pattern) {
      redis.on('pmessage', (_pattern: string, from: string, message: string) => onMessage(from, message));
      await redis.psubscribe(channel);
    } else {
      redis.on('message', onMessage);
      await redis.subscribe(channel);
    }
    return { close: async () => void redis.disconnect() };
  },
});
