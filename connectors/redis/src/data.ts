/** The credential's fields (shared by the credential type and the connection code). */
import { z } from 'zod';

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
