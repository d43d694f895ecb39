/**
 * Server-Sent Events over `fetch` streaming (browser and Node 18+): unlike `EventSource`, it can send
 * the `Authorization` header. Frames are parsed per the WHATWG spec (event, data, id; comments ignored).
 */
import { errorFromResponse } from './errors';

export interface SseMessage {
  /** `snapshot`, `step` or `status` (gateway events). */
  event: string;
  /** The parsed JSON data (or the raw text if it is not JSON). */
  data: unknown;
  id: string | null;
}

export interface StreamOptions {
  /** Abort to stop listening (the promise then resolves). */
  signal?: AbortSignal;
  onEvent(message: SseMessage): void;
}

function parseFrame(frame: string): SseMessage | null {
  let event = 'message';
  let id: string | null = null;
  const data: string[] = [];
  for (const line of frame.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return null;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: hand over the text
  }
  return { event, data: parsed, id };
}

/** Reads an SSE response until the server ends it or `signal` aborts. */
export async function readEventStream(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, options: StreamOptions): Promise<void> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { ...headers, Accept: 'text/event-stream' }, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const frames = buffer.split(/\r\n\r\n|\n\n|\r\r/);
      buffer = frames.pop() ?? '';
      for (const frame of frames) {
        const message = parseFrame(frame);
        if (message) options.onEvent(message);
      }
    }
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  } finally {
    reader.releaseLock();
  }
}
