/**
 * List pages bounded by bytes as well as by count: a page ends early — with a cursor to the rest — once its items
 * reach the workspace's `pageMaxBytes` (4 MiB by default). At least one item is always returned, so a client
 * following `nextCursor` always advances. The store keeps its cursor format: when the page is cut, the same query
 * is asked again with the smaller limit, and the store's own `nextCursor` comes back.
 */
import type { Page } from '@outrun/schemas';

/** UTF-8 bytes of an item's JSON (what it adds to the answer). */
export const jsonBytes = (item: unknown): number => Buffer.byteLength(JSON.stringify(item));

/**
 * How many leading items fit in `maxBytes` (at least one).
 * @param sizeOf bytes an item adds to the answer
 */
export function fittingCount<T>(items: readonly T[], maxBytes: number, sizeOf: (item: T) => number): number {
  let total = 0;
  for (const [i, item] of items.entries()) {
    total += sizeOf(item);
    if (total > maxBytes) return Math.max(1, i);
  }
  return items.length;
}

/** Fetches a page of at most `limit` items, then cuts it to `maxBytes`. */
export async function pageWithinBytes<T>(fetch: (limit: number) => Promise<Page<T>>, limit: number, maxBytes: number, sizeOf: (item: T) => number = jsonBytes): Promise<Page<T>> {
  const page = await fetch(limit);
  const fit = fittingCount(page.items, maxBytes, sizeOf);
  if (fit === page.items.length) return page;
  const cut = await fetch(fit);
  return cut.items.length <= fit ? cut : { items: cut.items.slice(0, fit), nextCursor: cut.nextCursor };
}
