/**
 * "Activate returns when the webhook is live": after a change to a workflow's triggers (activate, pause, edit,
 * archive, restore) the gateway waits until the listener serves the new state — in process in embedded mode,
 * through the listener's `POST /internal/triggers/sync` otherwise. Bounded: past `timeoutMs` (or if the
 * listener is down) it answers with the state it saved, and the listener's own poll catches up within a second.
 */
import type { Logger } from '@outrun/config';

/** Waits until the listener serves every trigger change committed before the call. */
export type SyncTriggers = () => Promise<void>;

/** The listener's sync endpoint over HTTP (distributed mode). */
export function httpTriggerSync(listenerUrl: string): SyncTriggers {
  const url = new URL('/internal/triggers/sync', listenerUrl);
  return async () => {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`listener answered ${res.status}`);
  };
}

/** Never throws, never waits longer than `timeoutMs`: the saved state already decided the answer. */
export function boundedTriggerSync(sync: SyncTriggers | undefined, logger: Logger, timeoutMs = 2_000): SyncTriggers {
  if (!sync) return () => Promise.resolve();
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([sync().then(() => 'synced' as const), timedOut]);
      if (outcome === 'timeout') logger.warn({ timeoutMs }, 'the listener did not confirm the trigger change in time; it will pick it up on its own');
    } catch (err) {
      logger.warn({ err: String(err) }, 'the listener could not confirm the trigger change; it will pick it up on its own');
    } finally {
      clearTimeout(timer);
    }
  };
}
