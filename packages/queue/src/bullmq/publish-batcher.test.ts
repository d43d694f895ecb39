import { describe, expect, it } from 'vitest';
import { createPublishBatcher, decodeMessages, encodeMessages } from './publish-batcher';

const turn = () => new Promise((r) => setImmediate(r));

describe('publish batcher', () => {
  it('sends the messages of one turn on one channel as one payload, in order, one payload per channel', async () => {
    const sent: Array<[string, string]> = [];
    const batcher = createPublishBatcher(async (channel, payload) => sent.push([channel, payload]));
    await Promise.all([batcher.publish('a', '{"n":1}'), batcher.publish('b', '{"n":9}'), batcher.publish('a', '{"n":2}')]);
    expect(sent.map(([c]) => c)).toEqual(['a', 'b']);
    expect(decodeMessages(sent[0]![1])).toEqual([{ n: 1 }, { n: 2 }]);
    expect(sent[1]![1]).toBe('{"n":9}'); // a lone message stays plain JSON
    await batcher.publish('a', '{"n":3}');
    expect(sent).toHaveLength(3);
  });

  it('splits a huge turn into bounded payloads, keeping the order', async () => {
    const sent: string[] = [];
    const batcher = createPublishBatcher(async (_c, payload) => sent.push(payload));
    await Promise.all(Array.from({ length: 1201 }, (_, i) => batcher.publish('a', String(i))));
    expect(sent).toHaveLength(3);
    expect(sent.flatMap((p) => decodeMessages(p))).toEqual(Array.from({ length: 1201 }, (_, i) => i));
  });

  it('rejects every publish of a payload Redis refused, and goes on with the next turn', async () => {
    let fail = true;
    const batcher = createPublishBatcher(async () => {
      if (fail) throw new Error('down');
    });
    const results = await Promise.allSettled([batcher.publish('a', '1'), batcher.publish('a', '2')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.publish('a', '3')).resolves.toBeUndefined();
  });

  it('flush sends what is queued without waiting for the turn', async () => {
    const sent: string[] = [];
    const batcher = createPublishBatcher(async (_c, payload) => sent.push(payload));
    const p = batcher.publish('a', '1');
    await batcher.flush();
    expect(sent).toEqual(['1']);
    await p;
    await turn();
    expect(sent).toEqual(['1']);
  });

  it('decodes plain JSON, a batch, and drops what is not JSON', () => {
    expect(decodeMessages('{"a":1}')).toEqual([{ a: 1 }]);
    expect(decodeMessages(encodeMessages(['1', '"x"']))).toEqual([1, 'x']);
    expect(decodeMessages('not json')).toBeUndefined();
    expect(decodeMessages('\u001e{"a":1}')).toBeUndefined();
  });
});
