/** Runs one event source outside the listener: events are collected in memory, the cursor kept in memory. */
import type { JsonValue } from '@outrun/schemas';
import type { Connector } from '../define-connector';
import { parseCredential } from '../credential';
import type { SourceEvent, SourceHandle } from '../types';

export interface RunningSource {
  events: SourceEvent[];
  /** Failures the source reported and recovered from. */
  errors: unknown[];
  handle: SourceHandle;
  cursor: { value: string | null };
  /** Resolves once `count` events were delivered (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SourceEvent[]>;
  close(): Promise<void>;
}

export interface RunSourceOptions {
  params: Record<string, unknown>;
  credential?: Record<string, JsonValue>;
  capacity?: number;
  consumerName?: string;
  /** Make a delivery fail (the listener could not record the run): the source must redeliver it. */
  failDelivery?: (event: SourceEvent) => boolean;
  cursor?: { value: string | null };
  /** Awaited before each delivery counts (a slow or failing recording); throwing refuses it. */
  onDeliver?: (event: SourceEvent) => Promise<void>;
}

export async function runSource(connector: Connector, trigger: string, options: RunSourceOptions): Promise<RunningSource> {
  const definition = connector.triggers[trigger];
  if (!definition) throw new Error(`${connector.name} has no trigger "${trigger}"`);
  const events: SourceEvent[] = [];
  const errors: unknown[] = [];
  const cursor = options.cursor ?? { value: null };
  const abort = new AbortController();
  const waiters: Array<() => void> = [];
  const handle = await definition.open({
    params: definition.params.parse(options.params),
    credential: definition.credential ? parseCredential(options.credential, definition.credential, trigger) : undefined,
    signal: abort.signal,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    capacity: options.capacity ?? 16,
    consumerName: options.consumerName ?? `test-${trigger}`,
    reportError: (err) => errors.push(err),
    reconnect: (err) => errors.push(err),
    cursor: { get: async () => cursor.value, set: async (position) => void (cursor.value = position) },
    async deliver(event) {
      if (options.failDelivery?.(event)) throw new Error('delivery refused (test)');
      await options.onDeliver?.(event);
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
  });
  return {
    events,
    errors,
    handle,
    cursor,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${events.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return events;
    },
    async close() {
      abort.abort();
      await handle.close();
    },
  };
}
