import type { EventBus } from '../ports';

type Listener = (message: unknown) => void;

/** In-process fan-out for the embedded mode. Delivery is asynchronous (a microtask), like Redis pub/sub. */
export function createMemoryEventBus(): EventBus {
  const channels = new Map<string, Set<Listener>>();
  return {
    async publish(channel, message) {
      const listeners = channels.get(channel);
      if (!listeners) return;
      for (const listener of [...listeners]) {
        queueMicrotask(() => {
          try {
            listener(message);
          } catch {
            // A failing subscriber must not break the publisher or other subscribers.
          }
        });
      }
    },
    async subscribe(channel, listener) {
      let listeners = channels.get(channel);
      if (!listeners) channels.set(channel, (listeners = new Set()));
      // Wrap so the same function may subscribe twice and unsubscribe each registration alone.
      const registration: Listener = (m) => listener(m);
      listeners.add(registration);
      return async () => {
        listeners.delete(registration);
        if (listeners.size === 0 && channels.get(channel) === listeners) channels.delete(channel);
      };
    },
    async close() {
      channels.clear();
    },
  };
}
