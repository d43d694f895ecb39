/**
 * `npm start` with OUTRUN_RUNNER_THREAD: the runner in a worker thread, so runs execute on the second core while the
 * main thread serves the API and webhooks. The main thread keeps the in-process queue and event bus (the listener
 * and the API use them) and consumes the queue on the thread's behalf: each job is posted to the thread and its
 * outcome posted back; what the thread enqueues, cancels, publishes or subscribes to is done here.
 */
import { Worker } from 'node:worker_threads';
import type { RequestListener } from 'node:http';
import { ErrorCode, OperationalError } from '@outrun/schemas';
import type { Logger } from '@outrun/config';
import type { Consumer, EventBus, JobOutcome, RunQueue } from '@outrun/queue';
import type { RunnerEnv } from '../env';
import { createRunnerServer } from '../server';
import { toWire, type CallResult, type FromThread, type ThreadCall, type ThreadStoreOptions, type ToThread } from './protocol';

export interface RunnerThreadOptions {
  env: RunnerEnv;
  /** How the thread opens its own connection to the same store. */
  store: ThreadStoreOptions;
  queue: RunQueue;
  events: EventBus;
  logger: Logger;
  logLevel: string;
}

export interface RunnerThread {
  /** /healthz, /readyz, /metrics, answered with the thread's runner. */
  handler: RequestListener;
  /** Starts the thread and consuming; resolves once its runner consumes. */
  start(): Promise<void>;
  /** Stops consuming within RUNNER_GRACE_MS (in-flight runs finish or are handed back), then ends the thread. */
  stop(): Promise<void>;
}

const BOOT = new URL('./boot.mjs', import.meta.url);
const ENTRY = new URL(`./runner-thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export function createRunnerThread(options: RunnerThreadOptions): RunnerThread {
  const { queue, events, logger } = options;
  let worker: Worker | undefined;
  let consumer: Consumer | undefined;
  let nextId = 1;
  let nextCid = 1;
  const outcomes = new Map<number, (o: JobOutcome) => void>();
  const asks = new Map<number, (m: Extract<FromThread, { type: 'answer' }>) => void>();
  const subscriptions = new Map<number, Promise<() => Promise<void>>>();
  let stopped: (() => void) | undefined;
  const post = (m: ToThread) => worker?.postMessage(m);

  async function perform(call: ThreadCall): Promise<CallResult> {
    try {
      switch (call.op) {
        case 'enqueue':
          await queue.enqueue(call.job, call.options);
          return { ok: true };
        case 'enqueueMany':
          if (queue.enqueueMany) await queue.enqueueMany(call.items);
          else for (const item of call.items) await queue.enqueue(item.job, item.options);
          return { ok: true };
        case 'cancel':
          await queue.cancel(call.jobId);
          return { ok: true };
        case 'counts':
          return { ok: true, value: await queue.counts() };
        case 'exists':
          return { ok: true, value: queue.exists ? await queue.exists(call.jobId) : false };
        case 'ping':
          await queue.ping();
          return { ok: true };
        case 'publish':
          await events.publish(call.channel, call.message);
          return { ok: true };
        case 'subscribe': {
          const sid = call.sid;
          const off = events.subscribe(call.channel, (message) => post({ type: 'event', sid, message }));
          subscriptions.set(sid, off);
          await off;
          return { ok: true };
        }
        case 'unsubscribe': {
          const off = subscriptions.get(call.sid);
          subscriptions.delete(call.sid);
          if (off) await (await off)();
          return { ok: true };
        }
      }
    } catch (err) {
      return { ok: false, error: toWire(err) };
    }
  }

  const ask = (what: 'ready' | 'metrics') =>
    new Promise<Extract<FromThread, { type: 'answer' }>>((resolve) => {
      const cid = nextCid++;
      asks.set(cid, resolve);
      post({ type: 'ask', cid, what });
    });

  const proxy = {
    ready: async () => (worker ? ((await ask('ready')).ready ?? false) : false),
    metrics: {
      contentType: 'text/plain; version=0.0.4; charset=utf-8' as const,
      metrics: async () => (worker ? ((await ask('metrics')).metrics?.text ?? '') : ''),
    },
  };

  return {
    handler: createRunnerServer(proxy, { metricsToken: options.env.OUTRUN_METRICS_TOKEN }),
    async start() {
      const w = new Worker(BOOT, { workerData: { entry: ENTRY.href, env: options.env, store: options.store, logLevel: options.logLevel } });
      worker = w;
      const started = new Promise<void>((resolve, reject) => {
        w.on('message', (m: FromThread) => {
          switch (m.type) {
            case 'started':
              return resolve();
            case 'failed':
              return reject(new OperationalError(ErrorCode.UNAVAILABLE, `The runner thread did not start: ${m.error.message}`));
            case 'outcome':
              outcomes.get(m.id)?.(m.outcome);
              outcomes.delete(m.id);
              return;
            case 'call':
              void perform(m.call).then((result) => m.cid !== 0 && post({ type: 'result', cid: m.cid, result }));
              return;
            case 'answer':
              asks.get(m.cid)?.(m);
              asks.delete(m.cid);
              return;
            case 'stopped':
              stopped?.();
              return;
          }
        });
        w.once('error', (err) => {
          logger.error({ err }, 'the runner thread failed');
          reject(err);
        });
        w.once('exit', (code) => {
          // Jobs it held go back to the queue (retry) instead of hanging; a restart of npm start recovers the rest.
          for (const resolve of outcomes.values()) resolve({ type: 'retry', delayMs: 1000 });
          outcomes.clear();
          if (!stopped) logger.error({ code }, 'the runner thread exited');
        });
      });
      await started;
      consumer = await queue.consume(
        (ctx) =>
          new Promise<JobOutcome>((resolve) => {
            const id = nextId++;
            const onAbort = () => post({ type: 'abort', id, error: toWire(ctx.signal.reason) });
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            outcomes.set(id, (outcome) => {
              ctx.signal.removeEventListener('abort', onAbort);
              resolve(outcome);
            });
            post({ type: 'job', id, job: ctx.job, jobId: ctx.jobId, deliveries: ctx.deliveries });
          }),
        { concurrency: options.env.RUNNER_CONCURRENCY },
      );
      logger.info({ concurrency: options.env.RUNNER_CONCURRENCY }, 'runner consuming in its own thread');
    },
    async stop() {
      await consumer?.close({ graceMs: options.env.RUNNER_GRACE_MS });
      consumer = undefined;
      const w = worker;
      if (!w) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      post({ type: 'stop', graceMs: options.env.RUNNER_GRACE_MS });
      const timer = setTimeout(() => stopped?.(), 5000);
      await done;
      clearTimeout(timer);
      await w.terminate();
      worker = undefined;
    },
  };
}
