/** Pagination helpers: follow cursors or `Link` headers with hard caps, so a hostile API cannot loop us forever. */

export interface Page<T> {
  items: readonly T[];
  /** The next page's cursor; undefined/null = last page. */
  next?: string | null | undefined;
}

export interface PaginateOptions {
  /** @default 100 */
  maxPages?: number;
  /** @default 10000 */
  maxItems?: number;
  signal?: AbortSignal;
}

/** Yields items page after page until the last page or a cap; a repeated cursor ends the walk (a loop). */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, options: PaginateOptions = {}): AsyncGenerator<T> {
  const maxPages = options.maxPages ?? 100;
  const maxItems = options.maxItems ?? 10_000;
  const seen = new Set<string>();
  let cursor: string | undefined;
  let items = 0;
  for (let page = 0; page < maxPages; page++) {
    options.signal?.throwIfAborted();
    const { items: batch, next } = await fetchPage(cursor);
    for (const item of batch) {
      if (items++ >= maxItems) return;
      yield item;
    }
    if (!next || seen.has(next)) return;
    seen.add(next);
    cursor = next;
  }
}

/** Collects a paginated walk into an array (same caps). */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, options: PaginateOptions = {}): Promise<T[]> {
  const out: T[] = [];
  for await (const item of paginate(fetchPage, options)) out.push(item);
  return out;
}

/** The `rel="next"` URL of an RFC 8288 `Link` header (GitHub's paging), or undefined. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}
