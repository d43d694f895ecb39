/**
 * Stored bytes per workspace, cached for a few seconds: counting them reads the size of every kept version and data
 * document (≈ 20–40 ms at 100,000 documents), too much for every data insert. Between refreshes the bytes this
 * gateway writes are added to the cached figure, so a burst cannot slip past the quota; writes by other processes
 * show up at the next refresh.
 */
import type { Clock } from '@outrun/schemas';
import type { HousekeepingStore } from '@outrun/store';

/** How long a measured figure is trusted. */
export const USAGE_TTL_MS = 5_000;

interface Entry {
  bytes: number;
  at: number;
}

export class StoredBytesCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly housekeeping: HousekeepingStore,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Stored bytes of the workspace (measured at most `USAGE_TTL_MS` ago, plus what this gateway wrote since). */
  async bytes(workspaceId: string): Promise<number> {
    const cached = this.entries.get(workspaceId);
    if (cached && this.clock.now() - cached.at < USAGE_TTL_MS) return cached.bytes;
    const bytes = (await this.housekeeping.usage(workspaceId)).storedBytes;
    if (this.entries.size > 10_000) this.entries.clear(); // bounded by active workspaces
    this.entries.set(workspaceId, { bytes, at: this.clock.now() });
    return bytes;
  }

  /** Counts a successful write until the next measurement. */
  added(workspaceId: string, bytes: number): void {
    const cached = this.entries.get(workspaceId);
    if (cached) cached.bytes += bytes;
  }

  /** Forgets the figure (after pruning freed space, so the next check measures it). */
  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }
}
