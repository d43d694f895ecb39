import { describe, expect, it } from 'vitest';
import { fittingCount, pageWithinBytes } from './byte-budget';

describe('byte-budget pages', () => {
  it('counts the leading items that fit, always at least one', () => {
    const size = (n: number) => n;
    expect(fittingCount([3, 3, 3], 10, size)).toBe(3);
    expect(fittingCount([3, 3, 3, 3], 10, size)).toBe(3);
    expect(fittingCount([30, 1], 10, size)).toBe(1);
    expect(fittingCount([], 10, size)).toBe(0);
  });

  it('asks the store again with the smaller limit so the cursor is the store’s own', async () => {
    const items = [5, 5, 5, 5];
    const calls: number[] = [];
    const fetch = (limit: number) => {
      calls.push(limit);
      return Promise.resolve({ items: items.slice(0, limit), nextCursor: limit < items.length ? `after-${limit}` : null });
    };
    expect(await pageWithinBytes(fetch, 50, 12, (n) => n)).toEqual({ items: [5, 5], nextCursor: 'after-2' });
    expect(calls).toEqual([50, 2]);
    calls.length = 0;
    expect(await pageWithinBytes(fetch, 50, 100, (n) => n)).toEqual({ items, nextCursor: null });
    expect(calls).toEqual([50]); // everything fit: one query
  });
});
