import { z } from 'zod';
import { ConfigError, parseEnv, Ports } from '@outrun/config';
import { ApiEnv } from '@outrun/api';
import { ListenerEnv } from '@outrun/listener';
import { RunnerEnv } from '@outrun/runner';

/**
 * Variables a service reads that have no meaning when the three run in one process: `npm start` refuses them
 * (with what to use instead) rather than ignoring them silently.
 */
export const REFUSED_BY_START = {
  API_HOST: 'use OUTRUN_BIND_HOST (one bind host for every embedded service)',
  LISTENER_HOST: 'use OUTRUN_BIND_HOST (one bind host for every embedded service)',
  RUNNER_HOST: 'use OUTRUN_BIND_HOST (one bind host for every embedded service)',
  LISTENER_SERVICE_URL: 'the listener runs in this process',
  WORKFLOW_SERVICE_URL: 'the runner runs in this process',
  API_ALLOWED_HOSTS: 'use OUTRUN_ALLOWED_HOSTS (it also configures the web app)',
  LISTENER_PUBLIC_URL: 'use PUBLIC_BASE_URL (the gateway answers webhooks in embedded mode)',
} as const;

const refusedKeys = Object.fromEntries(Object.keys(REFUSED_BY_START).map((k) => [k, true])) as { [K in keyof typeof REFUSED_BY_START]: true };

/**
 * Configuration of the one-command start (`npm start`): the union of the three services' schemas (so a variable a
 * service honours cannot be dropped here), minus the refused ones, plus what only the embedded start has.
 */
export const StartEnv = ApiEnv.extend(ListenerEnv.shape)
  .extend(RunnerEnv.shape)
  .omit(refusedKeys)
  .extend({
    WEB_PORT: Ports.web,
    /** `production` builds once then `next start`; `dev` runs `next dev`; `off` starts no web app. */
    OUTRUN_WEB_MODE: z.enum(['production', 'dev', 'off']).default('production'),
    /** Host the services bind to. @default 127.0.0.1 (embedded mode is for one machine) */
    OUTRUN_BIND_HOST: z.string().default('127.0.0.1'),
    /**
     * Host names (besides localhost, 127.0.0.1, [::1]) the web app and the gateway answer to, comma separated
     * (`name` any port, or `name:port`): every other `Host`/`Origin` is refused (DNS-rebinding guard). @default none
     */
    OUTRUN_ALLOWED_HOSTS: z.string().default(''),
    /** The web app's origin, allowed by CORS. @default http://localhost:${WEB_PORT} */
    WEB_ORIGIN: z.string().url().optional(),
    /** Public base URL of the gateway (webhook URLs, `statusUrl`). @default http://localhost:${API_PORT} */
    PUBLIC_BASE_URL: z.string().url().optional(),
    /**
     * Runs execute in a worker thread (the second core) with its own store connection; the queue stays in-process.
     * Ignored with REDIS_URL (BullMQ: run runner processes instead). docs/performance.md. @default false
     */
    OUTRUN_RUNNER_THREAD: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
  });
export type StartEnv = z.infer<typeof StartEnv>;

/** Parses the environment; a refused variable that is set is a ConfigError naming what to use instead. */
export function loadStartEnv(source: Record<string, string | undefined> = process.env): StartEnv {
  const refused = Object.entries(REFUSED_BY_START).filter(([name]) => source[name] !== undefined && source[name] !== '');
  if (refused.length > 0) {
    throw new ConfigError(refused.map(([name, why]) => `${name}: npm start does not take it (${why})`));
  }
  return parseEnv(StartEnv, source);
}

/** Each service's own environment, as `npm start` hands it over (one bind host, URLs of this process). */
export function serviceEnvs(env: StartEnv): { api: ApiEnv; listener: ListenerEnv; runner: RunnerEnv } {
  const host = env.OUTRUN_BIND_HOST;
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.API_PORT}`;
  return {
    api: { ...env, API_HOST: host, WEB_ORIGIN: env.WEB_ORIGIN ?? `http://localhost:${env.WEB_PORT}`, PUBLIC_BASE_URL: publicBaseUrl },
    listener: { ...env, LISTENER_HOST: host, LISTENER_PUBLIC_URL: publicBaseUrl },
    runner: { ...env, RUNNER_HOST: host },
  };
}
