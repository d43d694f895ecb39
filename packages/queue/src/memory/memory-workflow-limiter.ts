import { systemClock, type Clock } from '@outrun/schemas';
import type { WorkflowLimiter, WorkflowLimiterOptions } from '../limiter';

interface Slot {
  holders: Map<string, number>;
  waiters: Map<string, { order: number; seen: number }>;
}

/**
 * The per-workflow concurrency limiter of the embedded mode (one process): same semantics as the Redis one —
 * first-come-first-served waiters — kept in memory. Slots do not expire here (a crash loses the whole process,
 * slots included); `leaseMs` is ignored.
 */
export function createMemoryWorkflowLimiter(options: WorkflowLimiterOptions & { clock?: Pick<Clock, 'now'> } = {}): WorkflowLimiter {
  const staleMs = options.waiterStaleMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const slots = new Map<string, Slot>();

  const slotOf = (key: string): Slot => {
    let slot = slots.get(key);
    if (!slot) slots.set(key, (slot = { holders: new Map(), waiters: new Map() }));
    return slot;
  };

  const prune = (slot: Slot, t: number) => {
    for (const [h, expiry] of slot.holders) if (expiry <= t) slot.holders.delete(h);
    for (const [w, info] of slot.waiters) if (info.seen <= t - staleMs) slot.waiters.delete(w);
  };

  return {
    async tryAcquire(key, holder, limit, order) {
      const t = now();
      const slot = slotOf(key);
      prune(slot, t);
      if (slot.holders.has(holder)) {
        slot.holders.set(holder, Number.POSITIVE_INFINITY);
        return true;
      }
      const mine = slot.waiters.get(holder);
      slot.waiters.set(holder, { order: mine?.order ?? order, seen: t });
      const free = limit - slot.holders.size;
      if (free <= 0) return false;
      const myOrder = mine?.order ?? order;
      let ahead = 0;
      for (const [w, info] of slot.waiters) if (w !== holder && (info.order < myOrder || (info.order === myOrder && w < holder))) ahead += 1;
      if (ahead >= free) return false;
      slot.waiters.delete(holder);
      slot.holders.set(holder, Number.POSITIVE_INFINITY);
      return true;
    },
    async release(key, holder) {
      const slot = slots.get(key);
      if (!slot) return;
      slot.holders.delete(holder);
      slot.waiters.delete(holder);
      if (slot.holders.size === 0 && slot.waiters.size === 0) slots.delete(key);
    },
    async close() {
      slots.clear();
    },
  };
}
