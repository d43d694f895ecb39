/** The credential's fields (shared by the credential type and the connection code). */
import { z } from 'zod';

export const MysqlCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1).max(200),
  password: z.string().max(1000).default(''),
  database: z.string().min(1).max(200),
  ssl: z.boolean().default(false),
});
export type MysqlCredentialData = z.infer<typeof MysqlCredentialData>;
