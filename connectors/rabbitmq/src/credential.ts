import { z } from 'zod';
import { defineCredential } from '@outrun/connector-kit';

export const RabbitCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(5672),
  username: z.string().min(1).max(200).default('guest'),
  password: z.string().max(1000).default('guest'),
  vhost: z.string().max(200).default('/'),
  tls: z.boolean().default(false),
});
export type RabbitCredentialData = z.infer<typeof RabbitCredentialData>;

export const rabbitCredential = defineCredential({
  label: 'RabbitMQ connection',
  schema: RabbitCredentialData,
  secretFields: ['password'],
  async test(credential) {
    const { connect } = await import('./connect');
    const connection = await connect(credential);
    await connection.close();
  },
});
