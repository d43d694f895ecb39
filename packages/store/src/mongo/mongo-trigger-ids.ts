/**
 * Trigger ids are unique per workspace (the webhook URL is `/webhook/:ws/:triggerId`). On MongoDB a workflow
 * document carries `liveTriggerIds` — its triggers' ids while it is not archived, absent otherwise (and when it has
 * no trigger) — under a unique multikey index, so two saves racing for one id get one success and one 409, as on
 * SQLite (migration 5). Partial filters may only use `$exists`/`$eq`-style operators, hence the derived field.
 */
import type { Collection, Document, IndexDescription } from 'mongodb';

export const LIVE_TRIGGER_IDS = 'liveTriggerIds';

export const triggerIdsIndex: IndexDescription = {
  key: { [LIVE_TRIGGER_IDS]: 1 },
  name: 'unique_trigger_ids',
  unique: true,
  partialFilterExpression: { [LIVE_TRIGGER_IDS]: { $exists: true } },
};

/** The field's value for a document about to be inserted. */
export function liveTriggerIdsOf(status: string, triggers: ReadonlyArray<{ id: string }>): Document {
  return status !== 'archived' && triggers.length > 0 ? { [LIVE_TRIGGER_IDS]: triggers.map((t) => t.id) } : {};
}

/** Pipeline stage that derives the field from the document's status and triggers (after they were set). */
export const deriveLiveTriggerIds: Document = {
  $set: {
    [LIVE_TRIGGER_IDS]: {
      $cond: [{ $and: [{ $ne: ['$status', 'archived'] }, { $gt: [{ $size: { $ifNull: ['$triggers', []] } }, 0] }] }, '$triggers.id', '$$REMOVE'],
    },
  },
};

/** True when a write was refused because another workflow holds one of its trigger ids. */
export function isTriggerIdTaken(error: unknown): boolean {
  if ((error as { code?: unknown }).code !== 11000) return false;
  const pattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
  return pattern !== undefined && LIVE_TRIGGER_IDS in pattern;
}

/** Gives documents written before the field existed their value (idempotent; runs before the index is built). */
export async function backfillLiveTriggerIds(collection: Collection): Promise<void> {
  await collection.updateMany({ [LIVE_TRIGGER_IDS]: { $exists: false }, status: { $ne: 'archived' }, 'triggers.0': { $exists: true } }, [deriveLiveTriggerIds]);
}
