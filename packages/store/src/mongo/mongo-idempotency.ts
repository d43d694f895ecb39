import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-context';

/** How long a second creator waits for the first one's run document to appear. */
const CLAIM_WAIT_MS = 2000;

/**
 * Claims `key` for `runId` in `idempotency_keys` (unique per workspace, TTL on `expiresAt`).
 * @returns null when this caller owns the key, else the run id that already holds it.
 */
export async function claimIdempotencyKey(
  keys: Collection,
  runs: Collection,
  claim: { workspaceId: string; key: string; runId: string; now: string; ttlMs: number },
): Promise<string | null> {
  const _id = { w: claim.workspaceId, k: claim.key } as never;
  const expiresAt = new Date(Date.parse(claim.now) + claim.ttlMs);
  const doc: Document = { _id, workspaceId: claim.workspaceId, key: claim.key, runId: claim.runId, expiresAt };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await keys.insertOne(doc);
      return null;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await keys.findOne({ _id });
    if (!existing) continue; // expired and removed in between
    // The TTL monitor runs once a minute: an expired key still present is taken over with a compare-and-set.
    if ((existing.expiresAt as Date).getTime() <= Date.parse(claim.now)) {
      const taken = await keys.updateOne({ _id, runId: existing.runId }, { $set: { runId: claim.runId, expiresAt } });
      if (taken.modifiedCount === 1) return null;
      continue;
    }
    const holder = String(existing.runId);
    const deadline = Date.now() + CLAIM_WAIT_MS;
    // The first creator inserts the key before its run: wait briefly for the run to appear.
    while (Date.now() < deadline) {
      if (await runs.findOne({ _id: holder as never }, { projection: { _id: 1 } })) return holder;
      await new Promise((r) => setTimeout(r, 25));
    }
    // The holder never wrote its run (crashed): take the key over.
    const taken = await keys.updateOne({ _id, runId: holder }, { $set: { runId: claim.runId, expiresAt } });
    if (taken.modifiedCount === 1) return null;
  }
  throw new Error(`could not claim idempotency key ${claim.key}`);
}
