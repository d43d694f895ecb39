/**
 * The runner thread of `npm start` (OUTRUN_RUNNER_THREAD): the engine and its own store connection on the second
 * core, fed by the main thread's in-process queue (`port-adapters.ts`). The SQLite file is shared the way separate
 * processes share it (WAL, busy timeout).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@outrun/config';
import { createMemoryWorkflowLimiter } from '@outrun/queue/memory';
import { openStore } from '@outrun/store/open';
import { loadConfiguredConnectors } from '@outrun/connectors-builtin';
import { composeRunner } from '../compose';
import type { RunnerEnv } from '../env';
import { createPortAdapters } from './port-adapters';
import { toWire, type FromThread, type ThreadStoreOptions, type ToThread } from './protocol';

interface RunnerThreadData {
  env: RunnerEnv;
  store: ThreadStoreOptions;
  logLevel: string;
}

const port = parentPort!;
const data = workerData as RunnerThreadData & { entry: string };
const send = (m: FromThread) => port.postMessage(m);
const logger = createLogger({ name: 'outrun', level: data.logLevel }).child({ service: 'runner', thread: 'runner' });
const adapters = createPortAdapters(port);

try {
  // The main thread's store checkpoints the file: no second checkpoint thread here.
  const store = await openStore({ ...data.store, sqliteWalCheckpoint: 'elsewhere', logger });
  // The thread loads the same connector packages as the main thread (the catalog cannot cross the boundary).
  const connectors = await loadConfiguredConnectors(data.env.OUTRUN_CONNECTORS);
  const composed = composeRunner(data.env, { store, opened: { queue: adapters.queue, events: adapters.events, limiter: createMemoryWorkflowLimiter() }, logger, connectors });
  port.on('message', (m: ToThread) => {
    if (adapters.receive(m)) return;
    if (m.type === 'ask') {
      if (m.what === 'ready') void composed.runner.ready().then((ready) => send({ type: 'answer', cid: m.cid, ready }));
      else void composed.runner.metrics.metrics().then((text) => send({ type: 'answer', cid: m.cid, metrics: { contentType: composed.runner.metrics.contentType, text } }));
    } else if (m.type === 'stop') {
      void composed
        .stop()
        .then(() => store.close())
        .finally(() => send({ type: 'stopped' }));
    }
  });
  await composed.runner.start();
  send({ type: 'started' });
} catch (err) {
  send({ type: 'failed', error: toWire(err) });
}
