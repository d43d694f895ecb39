import { z } from 'zod';
import { CommonEnv, Ports, parseEnv } from '@outrun/config';

/** The listener's environment: the common variables plus its port and public URL. */
export const ListenerEnv = CommonEnv.extend({
  /** @default 3006 */
  LISTENER_PORT: Ports.listener,
  /** Public base URL used in `statusUrl` answers (usually the gateway's). @default "" (paths only) */
  LISTENER_PUBLIC_URL: z.string().url().optional(),
});
export type ListenerEnv = z.infer<typeof ListenerEnv>;

/** Parses `process.env` (through `@outrun/config`, the only reader). */
export function loadListenerEnv(source?: Record<string, string | undefined>): ListenerEnv {
  return parseEnv(ListenerEnv, source);
}
