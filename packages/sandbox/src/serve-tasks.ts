/**
 * The worker side of the pool: answers each `{id, kind, payload}` message with the handler's value or the error
 * it threw (as plain data: `OutrunError`s keep code, status and details). Used by every worker entry, so a
 * later task kind (the `code` node) is one more handler.
 */
import { parentPort } from 'node:worker_threads';
import type { TaskReply } from './worker-pool';

export type TaskHandler = (payload: unknown) => Promise<unknown> | unknown;

/** An error as it crosses the thread boundary. */
export interface SerializedTaskError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  details?: unknown;
}

function serialize(err: unknown): SerializedTaskError {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; status?: unknown; details?: unknown };
    return {
      name: err.name,
      message: err.message,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.status === 'number' ? { status: e.status } : {}),
      ...(e.details === undefined ? {} : { details: e.details }),
    };
  }
  return { name: 'Error', message: String(err) };
}

let retiring = false;
/**
 * Asks the pool to end this worker once the current task's reply is in (and start a fresh one for the next task):
 * for state that only a new thread gives back, such as WebAssembly memory, which never shrinks.
 */
export function retireAfterThisTask(): void {
  retiring = true;
}

/** Listens for tasks on this worker thread. */
export function serveTasks(handlers: Record<string, TaskHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs inside a worker thread');
  port.on('message', (message: { id: number; kind: string; payload: unknown }) => {
    const handler = handlers[message.kind];
    const reply = async (): Promise<TaskReply> => {
      if (!handler) return { id: message.id, ok: false, error: serialize(new Error(`unknown task kind ${message.kind}`)) };
      try {
        return { id: message.id, ok: true, value: await handler(message.payload) };
      } catch (err) {
        return { id: message.id, ok: false, error: serialize(err) };
      }
    };
    void reply().then((r) => port.postMessage(retiring ? { ...r, retire: true } : r));
  });
  // The pool starts a task's time limit only now: loading the entry (tsx, the engine) is not the task's time.
  port.postMessage({ type: 'ready' });
}
