import { z } from 'zod';
import { defineCredential } from '@outrun/connector-kit';

export const RedisCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(6379),
  username: z.string().max(200).optional(),
  password: z.string().max(1000).optional(),
  db: z.number().int().min(0).max(255).default(0),
  tls: z.boolean().default(false),
  /** Prepended to every key, stream and channel this credential touches (tenant isolation on a shared Redis). */
  keyPrefix: z.string().max(200).default(''),
});
export type RedisCredentialData = z.infer<typeof RedisCredentialData>;

export const redisCredential = defineCredential({
  label: 'Redis connection',
  schema: RedisCredentialData,
  secretFields: ['password'],
  async test(credential, { signal }) {
    const { withRedis } = await import('./connect');
    await withRedis(credential, signal, (redis) => redis.ping());
  },
});
