import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap';

describe('MinHeap', () => {
  it('pops in order', () => {
    const heap = new MinHeap<{ due: number }>((a, b) => a.due < b.due);
    const values = [5, 3, 9, 1, 7, 3, 0, 12, 4];
    for (const due of values) heap.push({ due });
    const out: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) out.push(item.due);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });

  it('with (priority, sequence) keys: equal priorities come out first in, first out, under any interleaving', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('pop' as const)), { maxLength: 300 }), (ops) => {
        const heap = new MinHeap<{ priority: number; seq: number }>((a, b) => a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq));
        const model: Array<{ priority: number; seq: number }> = [];
        let seq = 0;
        for (const op of ops) {
          if (op === 'pop') {
            model.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
            expect(heap.pop()).toEqual(model.shift());
          } else {
            const item = { priority: op, seq: seq++ };
            heap.push(item);
            model.push(item);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
