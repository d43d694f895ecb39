/**
 * The runner thread's queue and event bus: ports onto the main thread's in-process queue and bus. Jobs arrive as
 * `job` messages and go back as `outcome`s; what the lifecycle enqueues (park, retry) or publishes is a `call`.
 */
import type { MessagePort } from 'node:worker_threads';
import { OperationalError, type ErrorCode } from '@outrun/schemas';
import type { EventBus, JobHandler, QueueCounts, RunQueue } from '@outrun/queue';
import type { CallResult, FromThread, ThreadCall, ToThread, WireError } from './protocol';

const fromWire = (e: WireError) => new OperationalError(e.code as (typeof ErrorCode)[keyof typeof ErrorCode], e.message);

export interface PortAdapters {
  queue: RunQueue;
  events: EventBus;
  /** Handles a message from the main thread; false when it is not the adapters' (stop, ask). */
  receive(message: ToThread): boolean;
  /** Jobs being handled now. */
  inFlight(): number;
}

export function createPortAdapters(port: Pick<MessagePort, 'postMessage'>): PortAdapters {
  const send = (m: FromThread) => port.postMessage(m);
  let nextCid = 1;
  let nextSid = 1;
  const calls = new Map<number, (r: CallResult) => void>();
  const listeners = new Map<number, (message: unknown) => void>();
  const jobs = new Map<number, AbortController>();
  let handler: JobHandler | undefined;

  const call = (c: ThreadCall): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const cid = nextCid++;
      calls.set(cid, (r) => (r.ok ? resolve(r.value) : reject(fromWire(r.error))));
      send({ type: 'call', cid, call: c });
    });

  /**
   * Told, not asked (`cid` 0: no answer): the main thread may be busy serving webhooks, and a run must not wait for
   * it to publish an event or to confirm a subscription (the cancel listener; a missed cancel is still seen by the
   * runner's store check between steps).
   */
  const tell = (c: ThreadCall) => send({ type: 'call', cid: 0, call: c });

  const runJob = async (m: Extract<ToThread, { type: 'job' }>) => {
    const abort = new AbortController();
    jobs.set(m.id, abort);
    try {
      const outcome = handler ? await handler({ job: m.job, jobId: m.jobId, deliveries: m.deliveries, signal: abort.signal }) : { type: 'retry' as const, delayMs: 1000 };
      send({ type: 'outcome', id: m.id, outcome });
    } catch {
      send({ type: 'outcome', id: m.id, outcome: { type: 'retry', delayMs: 1000 } });
    } finally {
      jobs.delete(m.id);
    }
  };

  const queue: RunQueue = {
    enqueue: async (job, options) => void (await call({ op: 'enqueue', job, options })),
    enqueueMany: async (items) => void (await call({ op: 'enqueueMany', items })),
    async consume(h) {
      handler = h;
      // Draining is the main thread's consumer's job: it waits for the outcomes and aborts past the grace.
      return { close: async () => undefined };
    },
    cancel: async (jobId) => void (await call({ op: 'cancel', jobId })),
    counts: async () => (await call({ op: 'counts' })) as QueueCounts,
    exists: async (jobId) => (await call({ op: 'exists', jobId })) as boolean,
    ping: async () => void (await call({ op: 'ping' })),
    close: async () => undefined,
  };

  const events: EventBus = {
    publish: async (channel, message) => tell({ op: 'publish', channel, message }),
    async subscribe(channel, listener) {
      const sid = nextSid++;
      listeners.set(sid, listener);
      tell({ op: 'subscribe', sid, channel });
      return async () => {
        listeners.delete(sid);
        tell({ op: 'unsubscribe', sid });
      };
    },
    close: async () => undefined,
  };

  return {
    queue,
    events,
    inFlight: () => jobs.size,
    receive(m) {
      switch (m.type) {
        case 'job':
          void runJob(m);
          return true;
        case 'abort':
          jobs.get(m.id)?.abort(fromWire(m.error));
          return true;
        case 'event':
          listeners.get(m.sid)?.(m.message);
          return true;
        case 'result':
          calls.get(m.cid)?.(m.result);
          calls.delete(m.cid);
          return true;
        default:
          return false;
      }
    },
  };
}
