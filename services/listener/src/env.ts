import { z } from 'zod';
import { CommonEnv, Ports, parseEnv } from '@outrun/config';

/** The listener's environment: the common variables plus its port and public URL. */
export const ListenerEnv = CommonEnv.extend({
  /** @default 3006 */
  LISTENER_PORT: Ports.listener,
  /** Interface to bind; `0.0.0.0` (containers) is logged as a warning. @default 127.0.0.1 */
  LISTENER_HOST: z.string().default('127.0.0.1'),
  /** Public base URL used in `statusUrl` answers (usually the gateway's). @default "" (paths only) */
  LISTENER_PUBLIC_URL: z.string().url().optional(),
  /** Schedule occurrences are recorded and queued this many ms ahead of due (0: at due). @default 1000 */
  LISTENER_SCHEDULE_LEAD_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /**
   * Runs waiting to start (recorded and queued, not yet taken by a runner) past which webhooks answer 503
   * `OUT_ERR_BACKLOG_FULL` with `Retry-After`, recording nothing (docs/performance.md#overload); 0 = no mark. @default 2000 (a few seconds of work at the embedded capacity)
   */
  OUTRUN_BACKLOG_HIGH_WATER: z.coerce.number().int().min(0).default(2_000),
});
export type ListenerEnv = z.infer<typeof ListenerEnv>;

/** Parses `process.env` (through `@outrun/config`, the only reader). */
export function loadListenerEnv(source?: Record<string, string | undefined>): ListenerEnv {
  return parseEnv(ListenerEnv, source);
}
