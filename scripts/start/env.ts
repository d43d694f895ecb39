import { z } from 'zod';
import { CommonEnv, parseEnv, Ports } from '@outrun/config';
import { ListenerEnv } from '@outrun/listener';
import { RunnerEnv } from '@outrun/runner';

/** Configuration of the one-command start (`npm start`). */
export const StartEnv = CommonEnv.extend({
  WEB_PORT: Ports.web,
  API_PORT: Ports.api,
  RUNNER_PORT: Ports.runner,
  LISTENER_PORT: Ports.listener,
  LISTENER_SCHEDULE_LEAD_MS: ListenerEnv.shape.LISTENER_SCHEDULE_LEAD_MS,
  /** `production` builds once then `next start`; `dev` runs `next dev`; `off` starts no web app. */
  OUTRUN_WEB_MODE: z.enum(['production', 'dev', 'off']).default('production'),
  OUTRUN_ADMIN_TOKEN: z.string().min(16).optional(),
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  OUTRUN_HTTP_ALLOW_LIST: z.string().default(''),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  /** Instance AI price overrides (JSON), consulted before the bundled catalogue. */
  OUTRUN_AI_PRICES_FILE: z.string().min(1).optional(),
  OUTRUN_TRACE_AI_CONTENT: RunnerEnv.shape.OUTRUN_TRACE_AI_CONTENT,
  /** Host the services bind to. @default 127.0.0.1 (embedded mode is for one machine) */
  OUTRUN_BIND_HOST: z.string().default('127.0.0.1'),
  /**
   * Host names (besides localhost, 127.0.0.1, [::1]) the web app and the gateway answer to, comma separated
   * (`name` any port, or `name:port`): every other `Host`/`Origin` is refused (DNS-rebinding guard). @default none
   */
  OUTRUN_ALLOWED_HOSTS: z.string().default(''),
});
export type StartEnv = z.infer<typeof StartEnv>;

export const loadStartEnv = (): StartEnv => parseEnv(StartEnv);
