import { z } from 'zod';
import { defineCredential } from '@outrun/connector-kit';

export const MysqlCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1).max(200),
  password: z.string().max(1000).default(''),
  database: z.string().min(1).max(200),
  ssl: z.boolean().default(false),
});
export type MysqlCredentialData = z.infer<typeof MysqlCredentialData>;

export const mysqlCredential = defineCredential({
  label: 'MySQL / MariaDB connection',
  schema: MysqlCredentialData,
  secretFields: ['password'],
  async test(credential, { signal }) {
    const { withConnection } = await import('./connect');
    await withConnection(credential, signal, (c) => c.query('SELECT 1'));
  },
});
