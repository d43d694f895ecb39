/**
 * A cursor-polling event source (new rows of a table): reads up to `capacity` items after the saved cursor, hands
 * them over, and saves the cursor only once every one of them is recorded. A crash between the two repeats the
 * batch, which the run idempotency keys make a no-op: nothing is repeated and nothing is missed.
 */
import type { SourceContext, SourceEvent, SourceHandle } from './types';

export interface PolledItem {
  /** The item's cursor value (as text); items come in ascending cursor order. */
  cursor: string;
  event: SourceEvent;
}

export interface PollingOptions {
  intervalMs: number;
  /** The cursor to start from when none is saved: usually the current maximum ("new rows from now on"). */
  initialCursor(): Promise<string | null>;
  /** Items after `cursor` (all when null), ascending, at most `limit`. */
  fetch(cursor: string | null, limit: number): Promise<PolledItem[]>;
  /** Optional push hint (LISTEN/NOTIFY): call `wake` to poll at once. Returns a stop function. */
  subscribe?(wake: () => void): Promise<() => Promise<void>>;
}

const MAX_BACKOFF_MS = 30_000;

export async function startPolling(ctx: SourceContext<unknown, unknown>, options: PollingOptions): Promise<SourceHandle> {
  let cursor = await ctx.cursor.get();
  if (cursor === null) {
    cursor = await options.initialCursor();
    if (cursor !== null) await ctx.cursor.set(cursor);
  }
  let wakeUp: (() => void) | undefined;
  // A wake that arrives while a fetch is running must not be lost (the fetch may have read before the row was
  // committed): it is remembered, and the next sleep returns at once.
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const unsubscribe = options.subscribe ? await options.subscribe(wake) : undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (woken || ctx.signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wakeUp = undefined;
      ctx.signal.removeEventListener('abort', done);
      resolve();
    }
    wakeUp = done;
    ctx.signal.addEventListener('abort', done, { once: true });
  });

  const loop = (async () => {
    let failures = 0;
    while (!ctx.signal.aborted) {
      try {
        woken = false; // this fetch covers every wake so far
        const batch = await options.fetch(cursor, ctx.capacity);
        if (batch.length === 0) {
          failures = 0;
          await sleep(options.intervalMs);
          continue;
        }
        // All of a batch in flight at once (≤ capacity), the cursor moves only past what was recorded.
        await Promise.all(batch.map((item) => ctx.deliver(item.event)));
        cursor = batch[batch.length - 1]!.cursor;
        await ctx.cursor.set(cursor);
        failures = 0;
      } catch (err) {
        if (ctx.signal.aborted) break;
        failures++;
        ctx.reportError(err);
        await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 9)));
      }
    }
  })();

  return {
    async close() {
      wake();
      await loop;
      await unsubscribe?.();
    },
  };
}
