'use client';
import { useEffect, useRef } from 'react';
import type { Api } from './api';
import { streamSse } from './sse';

/**
 * Subscribes to an SSE path of the gateway while mounted (and `enabled`); reconnects on drops.
 * `onEvent` may change between renders without reconnecting.
 */
export function useLiveEvents(api: Api | null, path: string | null, onEvent: (event: string, data: unknown) => void, options: { enabled?: boolean; once?: boolean; onOpen?: () => void } = {}): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const opened = useRef(options.onOpen);
  opened.current = options.onOpen;
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!api || !path || !enabled) return;
    const controller = new AbortController();
    const { url, headers } = api.eventsUrl(path);
    void streamSse({
      url,
      headers,
      signal: controller.signal,
      once: options.once ?? false,
      onEvent: (e, d) => handler.current(e, d),
      onOpen: () => opened.current?.(),
    });
    return () => controller.abort();
  }, [api, path, enabled, options.once]);
}
