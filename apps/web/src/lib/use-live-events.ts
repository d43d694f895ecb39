'use client';
import { useEffect, useRef } from 'react';
import type { SseMessage, StreamOptions } from '@outrun/client';
import type { Api } from './api';

/** Which stream to follow: one run's events, or every run of the workspace. */
export type LiveSource = { runId: string } | 'workspace';

/**
 * Follows a gateway SSE stream while mounted (and `enabled`), reconnecting with backoff when it drops.
 * `once` stops after the server ends the stream normally (a run's stream ends at its terminal status).
 * `onEvent` may change between renders without reconnecting.
 */
export function useLiveEvents(
  api: Api | null,
  source: LiveSource | null,
  onEvent: (event: string, data: unknown) => void,
  options: { enabled?: boolean; once?: boolean; onOpen?: () => void } = {},
): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const opened = useRef(options.onOpen);
  opened.current = options.onOpen;
  const enabled = options.enabled ?? true;
  const key = source === null ? null : source === 'workspace' ? 'workspace' : source.runId;
  const once = options.once ?? false;
  useEffect(() => {
    if (!api || key === null || !enabled) return;
    const controller = new AbortController();
    const stream = (opts: StreamOptions) => (key === 'workspace' ? api.streamWorkspaceEvents(opts) : api.streamRunEvents(key, opts));
    const loop = async () => {
      let delay = 500;
      while (!controller.signal.aborted) {
        let ended = false;
        opened.current?.();
        try {
          await stream({ signal: controller.signal, onEvent: (m: SseMessage) => { delay = 500; handler.current(m.event, m.data); } });
          ended = true;
        } catch {
          // dropped or refused: retry below
        }
        if (controller.signal.aborted || (ended && once)) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    };
    void loop();
    return () => controller.abort();
  }, [api, key, enabled, once]);
}
