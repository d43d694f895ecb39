/** The credential's fields (shared by the credential type and the connection code). */
import { z } from 'zod';

export const RabbitCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(5672),
  username: z.string().min(1).max(200).default('guest'),
  password: z.string().max(1000).default('guest'),
  vhost: z.string().max(200).default('/'),
  tls: z.boolean().default(false),
});
export type RabbitCredentialData = z.infer<typeof RabbitCredentialData>;
