import { abortReason, type Clock } from './clock';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A controllable clock for tests: time moves only when told (or, with `autoAdvance`, when every caller waits). */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due sleeps in deadline order and letting their continuations run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet fired. */
  pendingSleeps(): number;
  /** Every `sleep(ms)` requested so far, in call order (retry/backoff assertions). */
  readonly sleeps: number[];
}

export interface FakeClockOptions {
  /** Initial epoch ms. @default 1_700_000_000_000 */
  start?: number;
  /**
   * Fire the earliest pending sleep as soon as the process has nothing else to do (checked with
   * `setImmediate`), so code under test never really waits and timers still fire in deadline order.
   * @default false
   */
  autoAdvance?: boolean;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Creates a {@link FakeClock}. */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? 1_700_000_000_000;
  let seq = 0;
  let tickScheduled = false;
  const timers: Timer[] = [];
  const sleeps: number[] = [];

  const earliest = (): number => {
    let best = -1;
    for (let i = 0; i < timers.length; i++) {
      const t = timers[i] as Timer;
      const b = timers[best] as Timer | undefined;
      if (b === undefined || t.at < b.at || (t.at === b.at && t.seq < b.seq)) best = i;
    }
    return best;
  };

  const fireEarliest = (): boolean => {
    const i = earliest();
    if (i < 0) return false;
    const [timer] = timers.splice(i, 1) as [Timer];
    now = Math.max(now, timer.at);
    timer.resolve();
    return true;
  };

  const scheduleTick = (): void => {
    if (tickScheduled || !options.autoAdvance) return;
    tickScheduled = true;
    setImmediate(() => {
      tickScheduled = false;
      if (fireEarliest() && timers.length > 0) scheduleTick();
    });
  };

  return {
    sleeps,
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      return new Promise<void>((resolve, reject) => {
        const timer: Timer = { at: now + Math.max(0, ms), seq: seq++, resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } };
        const onAbort = (): void => {
          const idx = timers.indexOf(timer);
          if (idx >= 0) timers.splice(idx, 1);
          reject(abortReason(signal as AbortSignal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
        scheduleTick();
      });
    },
    async advance(ms: number): Promise<void> {
      const target = now + ms;
      await flush();
      for (;;) {
        const i = earliest();
        if (i < 0 || (timers[i] as Timer).at > target) break;
        fireEarliest();
        await flush();
      }
      now = target;
      await flush();
    },
    pendingSleeps: () => timers.length,
  };
}
