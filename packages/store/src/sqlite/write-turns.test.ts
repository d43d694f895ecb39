import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createWriteTurns, newWriteTurnsBuffer } from './write-turns';

describe('write turns (ticket lock across threads)', () => {
  it('serves holders in ticket order, across threads, and lets a waiter through after its timeout', async () => {
    const buffer = newWriteTurnsBuffer();
    const turns = createWriteTurns(buffer, 5000);
    turns.acquire(); // this thread holds the turn
    // Another thread asks for it: it must wait until this one releases.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const a = new Int32Array(workerData);
       const ticket = Atomics.add(a, 0, 1);
       parentPort.postMessage('asked');
       while (((Atomics.load(a, 1) - ticket) | 0) < 0) Atomics.wait(a, 1, Atomics.load(a, 1), 5000);
       parentPort.postMessage('got it');
       Atomics.add(a, 1, 1); Atomics.notify(a, 1);`,
      { eval: true, workerData: buffer },
    );
    const messages: string[] = [];
    const got = new Promise<void>((resolve) => worker.on('message', (m: string) => (messages.push(m), m === 'got it' && resolve())));
    await new Promise((r) => setTimeout(r, 300));
    expect(messages).toEqual(['asked']); // still waiting
    turns.release();
    await got;
    turns.acquire(); // after the other released: immediate
    turns.release();
    await worker.terminate();

    // a holder that never releases: the next waiter goes on after the timeout
    const stuck = createWriteTurns(newWriteTurnsBuffer(), 100);
    stuck.acquire();
    const started = Date.now();
    stuck.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
