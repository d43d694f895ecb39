/**
 * The distributed topology for the bench: api (the gateway, public webhook URL), listener and N runner processes,
 * each a plain `node --import tsx` process (no npm wrapper), on BullMQ (the local Redis, a private key prefix) and
 * one SQLite file. The reference workflow is created and activated; the sink is where its http-request step posts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflowApi } from '@outrun/client';
import { startHttpSink, type HttpSink, type HttpSinkOptions } from '@outrun/testing/http-sink';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { processRssMb } from './process-rss';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface DistributedStack {
  /** The public webhook URL of the reference workflow (through the api gateway). */
  webhookUrl: string;
  /** The same webhook on the listener directly (no gateway forward). */
  listenerWebhookUrl: string;
  /** Every service process (listener, runners, api), for per-process figures. */
  services: ServiceProcess[];
  workflowId: string;
  dbPath: string;
  sink: HttpSink;
  runners: ServiceProcess[];
  /** Starts one more runner process (e.g. after a `kill -9`). */
  addRunner(): Promise<ServiceProcess>;
  /** RSS (MB) of every live service process. */
  rssMb(): number;
  close(): Promise<void>;
}

export interface DistributedStackOptions {
  runners: number;
  /** RUNNER_CONCURRENCY of each runner. @default 64 */
  concurrency?: number;
  sink?: HttpSinkOptions;
  /** Redis to use (e.g. a private server whose commands are counted). @default the shared local Redis */
  redisUrl?: string;
  /** Extra node flags of every service process (`--cpu-prof`, a counting `--import`). */
  nodeArgs?: string[];
  /** Extra environment of every service process. */
  env?: Record<string, string>;
}

export async function startDistributedStack(options: DistributedStackOptions): Promise<DistributedStack> {
  const reference = JSON.parse(readFileSync(join(root, 'bench', 'reference-workflow.json'), 'utf8')) as { workflow: unknown };
  const dataDir = await mkdtemp(join(tmpdir(), 'outrun-bench-dist-'));
  const prefix = uniquePrefix('r2bench');
  const sink = await startHttpSink(options.sink);
  const adminToken = randomBytes(24).toString('hex');
  const redisUrl = options.redisUrl ?? SHARED_REDIS_URL;
  const spawnOptions = { nodeArgs: options.nodeArgs ?? [] };
  const common = {
    ...options.env,
    OUTRUN_DATA_DIR: dataDir, REDIS_URL: redisUrl, OUTRUN_QUEUE_PREFIX: prefix, OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn', OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`, OUTRUN_BACKLOG_HIGH_WATER: '0',
    OUTRUN_WEBHOOK_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_RATE_LIMIT_BURST: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_RPS: '1000000', OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_BURST: '1000000',
  };
  const runnerEnv = { ...common, RUNNER_CONCURRENCY: String(options.concurrency ?? 64) };
  const services: ServiceProcess[] = [];
  const runners: ServiceProcess[] = [];
  const close = async () => {
    for (const s of services) s.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
    await sink.close();
    await cleanupPrefix(redisUrl, prefix);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // One after the other: tsx start-ups at once can pass the 30 s readiness bound on a loaded machine.
    const listener = await spawnService('listener', common, spawnOptions);
    services.push(listener);
    for (let i = 0; i < options.runners; i++) {
      const r = await spawnService('runner', runnerEnv, spawnOptions);
      services.push(r);
      runners.push(r);
    }
    const apiPort = await freePort();
    services.push(await spawnService('api', { ...common, API_HOST: '127.0.0.1', OUTRUN_ADMIN_TOKEN: adminToken, LISTENER_SERVICE_URL: listener.url }, { ...spawnOptions, port: apiPort }));
    const base = `http://127.0.0.1:${apiPort}`;
    const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('bench-distributed', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });
    const workflow = JSON.parse(JSON.stringify(reference.workflow).replaceAll('{{SINK_URL}}', sink.url)) as Parameters<typeof api.createWorkflow>[1];
    const wf = await api.createWorkflow(workspace.id, workflow);
    await api.activateWorkflow(workspace.id, wf.id);
    return {
      webhookUrl: `${base}/webhook/${workspace.id}/reference-hook`,
      listenerWebhookUrl: `${listener.url}/webhook/${workspace.id}/reference-hook`,
      services,
      workflowId: wf.id,
      dbPath: join(dataDir, 'outrun.db'),
      sink,
      runners,
      async addRunner() {
        const r = await spawnService('runner', runnerEnv, spawnOptions);
        services.push(r);
        runners.push(r);
        return r;
      },
      rssMb: () => services.reduce((sum, s) => sum + (s.child.exitCode === null && s.child.signalCode === null ? processRssMb(s.child.pid!) : 0), 0),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
