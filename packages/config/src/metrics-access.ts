import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may read `/metrics` (queue depths, route latencies, tenant-shaped labels are not for the internet).
 * With `OUTRUN_METRICS_TOKEN` set: callers presenting `Authorization: Bearer <token>`, from anywhere.
 * Without it: only loopback peers (Prometheus on the same host, `curl` on the box). The peer is the socket's
 * address, never a forwarded-for header.
 */
export interface MetricsAccess {
  /** The bearer token scrapers send; unset = loopback peers only. */
  token?: string | undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when a request from `remoteAddress` with this `Authorization` header may read the metrics. */
export function canReadMetrics(access: MetricsAccess, remoteAddress: string | undefined, authorization: string | undefined): boolean {
  if (access.token !== undefined) {
    const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(given), digest(access.token));
  }
  return remoteAddress !== undefined && LOOPBACK.test(remoteAddress);
}

/** The 403 body every service answers a refused scrape with. */
export const METRICS_FORBIDDEN_BODY = {
  error: { code: 'OUT_ERR_METRICS_FORBIDDEN', message: 'The metrics are readable from this host only, or with Authorization: Bearer $OUTRUN_METRICS_TOKEN.' },
} as const;
