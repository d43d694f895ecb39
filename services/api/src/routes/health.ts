/** `/healthz` (process up), `/readyz` (store and queue reachable), `/metrics`, `/api/health` (all services). */
import { z } from 'zod';
import { ReadyReport, type ReadyCheck } from '@outrun/schemas';
import { canReadMetrics, METRICS_FORBIDDEN_BODY } from '@outrun/config';
import type { Registry } from 'prom-client';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';


async function check(fn: () => Promise<unknown>): Promise<ReadyCheck> {
  try {
    await fn();
    return { status: 'ok' };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  }
}

/** Another service's `/readyz`, with a short timeout. */
async function remote(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/readyz`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`readyz answered ${res.status}`);
}

export function healthRoutes(deps: ResolvedDeps, registry: Registry): Route[] {
  const local = async () => ({ store: await check(() => deps.store.ping()), queue: await check(() => deps.queue.ping()) });
  const answer = (checks: Record<string, ReadyCheck>) => {
    const ok = Object.values(checks).every((c) => c.status === 'ok');
    return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'down', checks } };
  };
  return [
    defineRoute({
      method: 'get', path: '/healthz', summary: 'The process is up', tag: 'health', auth: 'public', permission: 'public',
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
      async handle() {
        return { status: 200, body: { status: 'ok' } };
      },
    }),
    defineRoute({
      method: 'get', path: '/readyz', summary: 'Store and queue reachable', tag: 'health', auth: 'public', permission: 'public',
      responses: { 200: { description: 'Ready', schema: ReadyReport }, 503: { description: 'A dependency is down', schema: ReadyReport } },
      async handle() {
        return answer(await local());
      },
    }),
    defineRoute({
      method: 'get', path: '/metrics', summary: 'Prometheus metrics (loopback peers, or `Authorization: Bearer $OUTRUN_METRICS_TOKEN`)', tag: 'health', auth: 'public', permission: 'public',
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' }, 403: { description: 'Not loopback and no metrics token' } },
      async handle({ req, res }) {
        if (!canReadMetrics({ token: deps.metricsToken }, req.socket.remoteAddress, req.get('authorization'))) {
          res.status(403).json(METRICS_FORBIDDEN_BODY);
          return;
        }
        res.setHeader('Content-Type', registry.contentType);
        res.status(200).send(await registry.metrics());
      },
    }),
    defineRoute({
      method: 'get', path: '/api/health', summary: 'Readiness of the gateway and of every configured service', tag: 'health', auth: 'public', permission: 'public', extension: true,
      responses: { 200: { description: 'All ready', schema: ReadyReport }, 503: { description: 'Something is down', schema: ReadyReport } },
      async handle() {
        const entries = await Promise.all(Object.entries(deps.healthTargets ?? {}).map(async ([name, url]) => [name, await check(() => remote(url))] as const));
        return answer({ ...(await local()), ...Object.fromEntries(entries) });
      },
    }),
  ];
}
