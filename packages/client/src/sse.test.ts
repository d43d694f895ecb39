import { describe, expect, it } from 'vitest';
import { readEventStream, type SseMessage } from './sse';

/** A fetch that answers with the given chunks as an event stream. */
function fakeFetch(chunks: string[], status = 200): typeof fetch {
  return async () =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
          controller.close();
        },
      }),
      { status, headers: { 'content-type': status === 200 ? 'text/event-stream' : 'application/json' } },
    );
}

describe('readEventStream', () => {
  it('parses frames split across chunks, skips comments, joins multi-line data', async () => {
    const got: SseMessage[] = [];
    const f = fakeFetch(['retry: 3000\n\n: heart', 'beat\n\nid: 1\nevent: snap', 'shot\ndata: {"a":1}\n\n', 'event: step\ndata: line1\ndata: line2\r\n\r\n']);
    await readEventStream(f, 'http://x/events', {}, { onEvent: (m) => got.push(m) });
    expect(got).toEqual([
      { event: 'snapshot', data: { a: 1 }, id: '1' },
      { event: 'step', data: 'line1\nline2', id: null },
    ]);
  });

  it('throws the API error of a failed answer', async () => {
    const f: typeof fetch = async () => new Response(JSON.stringify({ error: { code: 'OUT_ERR_NOT_FOUND', message: 'Run not found.' } }), { status: 404 });
    await expect(readEventStream(f, 'http://x', {}, { onEvent: () => undefined })).rejects.toMatchObject({ status: 404, code: 'OUT_ERR_NOT_FOUND' });
  });
});
