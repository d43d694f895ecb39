/** The gateway's environment (parsed once, in main.ts). */
import { CommonEnv, Ports } from '@outrun/config';
import { z } from 'zod';
import { AccountsEnvShape } from './accounts-env';

export const ApiEnv = CommonEnv.extend({
  API_PORT: Ports.api,
  /** Host to bind. @default 0.0.0.0 */
  API_HOST: z.string().default('0.0.0.0'),
  /** Admin token: may only create workspaces. Unset = nobody can create workspaces over HTTP. */
  OUTRUN_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** The listener (the seed's name); `/webhook/*` is proxied there. */
  LISTENER_SERVICE_URL: z.string().url().optional(),
  /** The runner (the seed's name), for `/api/health`. */
  WORKFLOW_SERVICE_URL: z.string().url().optional(),
  /** The web app's origin, allowed by CORS. @default http://localhost:3000 */
  WEB_ORIGIN: z.string().url().default('http://localhost:3000'),
  /** Host names the gateway answers to (comma separated, `name` or `name:port`); others get 403. Unset: any host. */
  API_ALLOWED_HOSTS: z.string().optional(),
  /** Public base URL of the gateway (webhook URLs shown in trigger details). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Per-API-key rate limit. @default 20 rps, burst 100 */
  API_RATE_LIMIT_RPS: z.coerce.number().positive().default(20),
  API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  ...AccountsEnvShape,
});
export type ApiEnv = z.infer<typeof ApiEnv>;
