/**
 * Server-Sent Events over `fetch` (EventSource cannot send the bearer header). Reconnects with backoff
 * until aborted; `onEvent` receives each event's name and parsed JSON data.
 */
export interface SseOptions {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  onEvent: (event: string, data: unknown) => void;
  /** Called when the stream is (re)connected; a good moment to refetch what may have been missed. */
  onOpen?: () => void;
  /** Stop reconnecting after the server closes the stream normally. @default false */
  once?: boolean;
}

/** Splits an SSE byte stream into events; returns when the stream ends. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: SseOptions['onEvent']): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let index = buffer.indexOf('\n\n');
    while (index >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) {
        const raw = data.join('\n');
        let parsed: unknown = raw;
        try {
          parsed = JSON.parse(raw);
        } catch {
          // keep the raw text
        }
        onEvent(event, parsed);
      }
      index = buffer.indexOf('\n\n');
    }
  }
}

/** Opens the stream and keeps it open until `signal` aborts. Never throws. */
export async function streamSse(options: SseOptions): Promise<void> {
  let delay = 500;
  while (!options.signal.aborted) {
    try {
      const response = await fetch(options.url, {
        headers: { ...options.headers, accept: 'text/event-stream' },
        signal: options.signal,
        cache: 'no-store',
      });
      if (response.ok && response.body) {
        delay = 500;
        options.onOpen?.();
        await readEvents(response.body, options.onEvent);
        if (options.once) return;
      }
    } catch {
      // network error or abort: retry below unless aborted
    }
    if (options.signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
