import express, { type Express } from 'express';
import { canReadMetrics, METRICS_FORBIDDEN_BODY } from '@outrun/config';
import type { Runner } from './runner';

/**
 * The runner's HTTP surface (port 3005): `GET /healthz` (process up), `GET /readyz` (store and queue
 * reachable; 503 otherwise) and `GET /metrics` (Prometheus text; loopback peers or the metrics token). Nothing else: runs arrive through the queue.
 */
export interface RunnerServerOptions {
  /** Bearer token for `/metrics`; unset = loopback peers only. */
  metricsToken?: string | undefined;
}

/** What the HTTP surface needs of a runner (the runner thread's host answers for the thread). */
export type RunnerStatus = Pick<Runner, 'ready'> & { metrics: Pick<Runner['metrics'], 'contentType' | 'metrics'> };

export function createRunnerServer(runner: RunnerStatus, options: RunnerServerOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await runner.ready();
    if (ready) res.json({ status: 'ready' });
    else res.status(503).json({ error: { code: 'OUT_ERR_UNAVAILABLE', message: 'The store or the queue is unreachable.' } });
  });
  app.get('/metrics', async (req, res) => {
    if (!canReadMetrics({ token: options.metricsToken }, req.socket.remoteAddress, req.get('authorization'))) {
      res.status(403).json(METRICS_FORBIDDEN_BODY);
      return;
    }
    res.type(runner.metrics.contentType).send(await runner.metrics.metrics());
  });
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'OUT_ERR_NOT_FOUND', message: 'No such route on the runner.' } });
  });
  return app;
}
