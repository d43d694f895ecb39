/**
 * Fair turns at SQLite's write lock between threads of one process that each hold a connection to the same file
 * (`npm start` with the runner in a worker thread). SQLite's busy handler sleeps and retries: a connection that
 * commits back to back (the webhook path) takes the lock again before a sleeping one wakes, and the runner thread
 * starved. A ticket lock in shared memory serves writers in arrival order. It only orders who tries first — the
 * SQLite lock stays the real one — so a waiter that times out (a holder died) goes on to BEGIN IMMEDIATE anyway.
 */
export interface WriteTurns {
  acquire(): void;
  release(): void;
}

/** Shared memory for `createWriteTurns`: create once, hand the same buffer to every thread's store. */
export const newWriteTurnsBuffer = (): SharedArrayBuffer => new SharedArrayBuffer(8);

export function createWriteTurns(buffer: SharedArrayBuffer, timeoutMs: number): WriteTurns {
  const a = new Int32Array(buffer); // [0] next ticket, [1] now serving
  return {
    acquire() {
      const ticket = Atomics.add(a, 0, 1);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const serving = Atomics.load(a, 1);
        if (((serving - ticket) | 0) >= 0) return; // signed difference: correct across Int32 wrap-around
        const left = deadline - Date.now();
        if (left <= 0) return;
        Atomics.wait(a, 1, serving, left);
      }
    },
    release() {
      Atomics.add(a, 1, 1);
      Atomics.notify(a, 1);
    },
  };
}
