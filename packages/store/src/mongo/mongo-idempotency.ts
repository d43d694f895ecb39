import type { Collection, Document } from 'mongodb';
import type { MongoRunDocument } from './mongo-run-docs';
import { isDuplicateKey } from './mongo-context';

/** How long a second creator waits for the first one to commit its run before taking the key over. */
const CLAIM_WAIT_MS = 2000;

export interface IdempotencyClaim {
  workspaceId: string;
  key: string;
  runId: string;
  now: string;
  ttlMs: number;
}

/**
 * Claims `key` for `runId` in `idempotency_keys` (unique per workspace, TTL on `expiresAt`). A claim is
 * `pending` until {@link commitIdempotencyKey} after the run is written; a pending claim older than the wait is
 * taken over (its creator crashed), and a creator whose commit then fails deletes its run: so at most one run
 * ever owns a key, even when the first creator was only slow.
 * @returns null when this caller holds the key (pending), else the run id that committed it.
 */
export async function claimIdempotencyKey(keys: Collection, runs: Collection<MongoRunDocument>, claim: IdempotencyClaim): Promise<string | null> {
  const _id = { w: claim.workspaceId, k: claim.key } as never;
  const expiresAt = new Date(Date.parse(claim.now) + claim.ttlMs);
  const mine: Document = { runId: claim.runId, state: 'pending', expiresAt };
  const takeOver = async (holder: unknown) => (await keys.updateOne({ _id, runId: holder }, { $set: mine })).modifiedCount === 1;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await keys.insertOne({ _id, workspaceId: claim.workspaceId, key: claim.key, ...mine });
      return null;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    let existing = await keys.findOne({ _id });
    if (!existing) continue; // expired and removed in between
    // The TTL monitor runs once a minute: an expired key still present is taken over with a compare-and-set.
    if ((existing.expiresAt as Date).getTime() <= Date.parse(claim.now)) {
      if (await takeOver(existing.runId)) return null;
      continue;
    }
    const deadline = Date.now() + CLAIM_WAIT_MS;
    while (existing?.state === 'pending' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      existing = await keys.findOne({ _id });
    }
    if (!existing) continue;
    const holder = String(existing.runId);
    // Committed (or written before claims had states): the holder's run, unless it was deleted since.
    if (existing.state !== 'pending' && (await runs.findOne({ _id: holder as never }, { projection: { _id: 1 } }))) return holder;
    // Pending past the wait, its run written (the creator died between the run and the commit): that run stands —
    // commit the claim for it, or a second run would start (an event source redelivering after a listener SIGKILL).
    if (existing.state === 'pending' && (await runs.findOne({ _id: holder as never }, { projection: { _id: 1 } }))) {
      if ((await keys.updateOne({ _id, runId: holder, state: 'pending' }, { $set: { state: 'committed' } })).matchedCount === 1) return holder;
      continue;
    }
    // Pending past the wait with no run (crashed creator) or committed without a run: take the key over.
    if (await takeOver(existing.runId)) return null;
  }
  throw new Error(`could not claim idempotency key ${claim.key}`);
}

/** Marks the claim committed; false when another creator took it over meanwhile (the caller's run must go). */
export async function commitIdempotencyKey(keys: Collection, claim: Pick<IdempotencyClaim, 'workspaceId' | 'key' | 'runId'>): Promise<boolean> {
  // Matched by run id alone: a creator found slow may have had its claim committed for it (its run was there).
  const r = await keys.updateOne({ _id: { w: claim.workspaceId, k: claim.key } as never, runId: claim.runId }, { $set: { state: 'committed' } });
  return r.matchedCount === 1;
}
