import { Worker } from 'node:worker_threads';
import { sqliteDriverPath } from './driver';

/**
 * Checkpoints the WAL from a worker thread, so the copy of WAL pages into the database file and its fsyncs never
 * run on the service's event loop. SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold:
 * measured at 2–10 ms per checkpoint, one every ~40 runs, on the thread that also answers webhooks.
 *
 * The worker holds its own connection and runs `wal_checkpoint(PASSIVE)` every `intervalMs`: PASSIVE never waits
 * for readers or writers (a checkpoint already running in another process just makes it skip a turn). The
 * service connection keeps a high automatic threshold as a backstop should the worker fall behind.
 */
export interface BackgroundCheckpoint {
  stop(): Promise<void>;
}

// Plain CommonJS run with `eval: true`: no loader or build step needed inside the worker.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startBackgroundCheckpoint(file: string, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): BackgroundCheckpoint {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs: options.intervalMs ?? 100, driver: sqliteDriverPath } });
  worker.unref(); // never keeps the process alive
  worker.on('message', (m: { error?: string }) => m.error && options.onError?.(new Error(`background WAL checkpoint: ${m.error}`)));
  worker.on('error', (error) => options.onError?.(error));
  return {
    async stop() {
      worker.ref(); // waiting for its exit must keep the process alive
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop'); // closes its connection between checkpoints
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
