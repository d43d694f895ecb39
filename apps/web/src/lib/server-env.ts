import { z } from 'zod';
import { localHosts } from '@outrun/schemas';

/**
 * The web app's server-side configuration, parsed once with zod. The only reader of `process.env`
 * in apps/web. Read at request time, so one `next build` works with any `next start` environment.
 */
export const WebEnv = z.object({
  /** The API gateway, as the web server reaches it. @default http://localhost:3001 */
  WORKFLOW_API_URL: z.string().url().default('http://localhost:3001'),
  /** The gateway as callers outside see it (webhook URLs, curl examples). @default WORKFLOW_API_URL */
  WORKFLOW_PUBLIC_API_URL: z.string().url().optional(),
  /** API key of the local user (embedded mode provides it). Empty = ask in Settings. */
  OUTRUN_API_KEY: z.string().optional(),
  /** Workspace of that key (embedded mode provides it). */
  OUTRUN_WORKSPACE_ID: z.string().optional(),
  /** Embedded mode's data dir; its `local-workspace.json` names the workspace when only the key is given. */
  OUTRUN_DATA_DIR: z.string().optional(),
  /**
   * Host names the web app answers to besides localhost, 127.0.0.1 and [::1] (comma separated, `name` or
   * `name:port`). Enforced whenever the server holds `OUTRUN_API_KEY` (DNS-rebinding guard), or when set.
   */
  OUTRUN_ALLOWED_HOSTS: z.string().optional(),
  /** Run view link to the run's trace; `{runId}` is replaced (a trace search by `outrun.run.id`). */
  OUTRUN_TRACE_URL_TEMPLATE: z.string().includes('{runId}').optional(),
});
export type WebEnv = z.infer<typeof WebEnv>;

/** Parses the environment; empty strings count as unset. */
export function readWebEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  return WebEnv.parse({
    WORKFLOW_API_URL: cleaned.WORKFLOW_API_URL,
    WORKFLOW_PUBLIC_API_URL: cleaned.WORKFLOW_PUBLIC_API_URL,
    OUTRUN_API_KEY: cleaned.OUTRUN_API_KEY,
    OUTRUN_WORKSPACE_ID: cleaned.OUTRUN_WORKSPACE_ID,
    OUTRUN_DATA_DIR: cleaned.OUTRUN_DATA_DIR,
    OUTRUN_ALLOWED_HOSTS: cleaned.OUTRUN_ALLOWED_HOSTS,
    OUTRUN_TRACE_URL_TEMPLATE: cleaned.OUTRUN_TRACE_URL_TEMPLATE,
  });
}

/** The Host names this server accepts, or null when any host may call it (no local key held, none configured). */
export function allowedHostsOf(env: WebEnv): string[] | null {
  if (env.OUTRUN_API_KEY === undefined && env.OUTRUN_ALLOWED_HOSTS === undefined) return null;
  return localHosts(env.OUTRUN_ALLOWED_HOSTS);
}
