/**
 * Open Server-Sent Events streams of this gateway, counted per API key and per workspace. A stream holds a
 * socket and a bus subscription for as long as the client likes, so each key and each workspace gets a bounded
 * number (`streamsPerKey`, `streamsPerWorkspace`); one more answers 429 `OUT_ERR_QUOTA_STREAMS` before anything
 * is opened. Counts are per gateway process (each of several gateways enforces its own).
 */
import type { WorkspaceLimits } from '@outrun/config';
import { ErrorCode, UserError } from '@outrun/schemas';

export class StreamSlots {
  private readonly byKey = new Map<string, number>();
  private readonly byWorkspace = new Map<string, number>();

  /**
   * Takes a slot for a new stream. @returns its release (idempotent).
   * @throws UserError(QUOTA_STREAMS, 429) naming the exhausted limit.
   */
  acquire(keyId: string, workspaceId: string, limits: Pick<WorkspaceLimits, 'streamsPerKey' | 'streamsPerWorkspace'>): () => void {
    const perKey = this.byKey.get(keyId) ?? 0;
    const perWorkspace = this.byWorkspace.get(workspaceId) ?? 0;
    if (perKey >= limits.streamsPerKey) throw refused('streamsPerKey', limits.streamsPerKey, 'API key');
    if (perWorkspace >= limits.streamsPerWorkspace) throw refused('streamsPerWorkspace', limits.streamsPerWorkspace, 'workspace');
    bump(this.byKey, keyId, 1);
    bump(this.byWorkspace, workspaceId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byKey, keyId, -1);
      bump(this.byWorkspace, workspaceId, -1);
    };
  }

  /** Open streams of a key (tests, metrics). */
  openFor(keyId: string): number {
    return this.byKey.get(keyId) ?? 0;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function refused(quota: 'streamsPerKey' | 'streamsPerWorkspace', limit: number, who: string): UserError {
  return new UserError(ErrorCode.QUOTA_STREAMS, `The ${who} already has ${limit} open event streams (its limit); close one first.`, 429, {
    details: [{ path: `quota.${quota}`, message: `limit ${limit}` }],
  });
}
