import { describe, expect, it } from 'vitest';
import { StreamSlots } from './stream-slots';

describe('stream slots', () => {
  const limits = { streamsPerKey: 2, streamsPerWorkspace: 3 };

  it('refuses past the per-key and per-workspace limits, naming which, and frees on release (once)', () => {
    const slots = new StreamSlots();
    const a1 = slots.acquire('a', 'ws', limits);
    slots.acquire('a', 'ws', limits);
    expect(() => slots.acquire('a', 'ws', limits)).toThrow(expect.objectContaining({ code: 'OUT_ERR_QUOTA_STREAMS', status: 429 }) as Error);
    slots.acquire('b', 'ws', limits);
    expect(() => slots.acquire('c', 'ws', limits)).toThrow(/workspace/);
    slots.acquire('c', 'other', limits); // another workspace is unaffected
    a1();
    a1(); // idempotent: frees one slot, not two
    expect(slots.openFor('a')).toBe(1);
    expect(() => slots.acquire('c', 'ws', limits)).not.toThrow();
    expect(() => slots.acquire('d', 'ws', limits)).toThrow(/workspace/);
  });
});
