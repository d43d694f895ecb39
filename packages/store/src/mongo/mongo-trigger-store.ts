import type { TriggerStats } from '@outrun/schemas';
import type { TriggerStateStore } from '../ports';
import { isoInstant } from '../shared/time';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';

const statsId = (workspaceId: string, triggerId: string) => ({ kind: 'trigger', w: workspaceId, t: triggerId }) as never;
const feedId = (consumerId: string) => ({ kind: 'feed', c: consumerId }) as never;

/** Trigger statistics, schedule occurrences and feed positions in `trigger_state`. */
export function createMongoTriggerStore(ctx: MongoContext): TriggerStateStore {
  const state = ctx.db.collection(names.triggerState);
  return {
    async getTriggerStats(workspaceId, triggerId) {
      const d = await state.findOne({ _id: statsId(workspaceId, triggerId) });
      const s = (d?.stats ?? {}) as Partial<Record<string, number>>;
      const stats: TriggerStats = {
        fires: s.fires ?? 0,
        runsStarted: s.runsStarted ?? 0,
        authFailures: s.authFailures ?? 0,
        duplicatesDropped: s.duplicatesDropped ?? 0,
        rateLimited: s.rateLimited ?? 0,
        errors: s.errors ?? 0,
        lastFiredAt: (d?.lastFiredAt as string | undefined) ?? null,
        lastError: (d?.lastError as TriggerStats['lastError'] | undefined) ?? null,
      };
      return stats;
    },
    async incrementTriggerStat(workspaceId, triggerId, counter, options) {
      const update: Record<string, unknown> = { $inc: { [`stats.${counter}`]: options?.by ?? 1 }, $setOnInsert: { kind: 'trigger', workspaceId, triggerId } };
      if (counter === 'fires') update.$max = { lastFiredAt: isoInstant(options?.at ?? ctx.now()) };
      await state.updateOne({ _id: statsId(workspaceId, triggerId) }, update, { upsert: true });
    },
    async recordTriggerError(workspaceId, triggerId, error) {
      await state.updateOne(
        { _id: statsId(workspaceId, triggerId) },
        { $set: { lastError: { code: error.code, message: error.message, at: error.at } }, $setOnInsert: { kind: 'trigger', workspaceId, triggerId } },
        { upsert: true },
      );
    },
    async getLastFiredOccurrence(workspaceId, triggerId) {
      const d = await state.findOne({ _id: statsId(workspaceId, triggerId) }, { projection: { lastFiredOccurrence: 1 } });
      return (d?.lastFiredOccurrence as string | undefined) ?? null;
    },
    async advanceLastFiredOccurrence(workspaceId, triggerId, occurrence) {
      const value = isoInstant(occurrence, 'occurrence');
      try {
        // Matches only when behind; when not, the upsert collides on _id: the duplicate key means "someone is ahead".
        const r = await state.updateOne(
          { _id: statsId(workspaceId, triggerId), $or: [{ lastFiredOccurrence: { $exists: false } }, { lastFiredOccurrence: { $lt: value } }] },
          { $set: { lastFiredOccurrence: value }, $setOnInsert: { kind: 'trigger', workspaceId, triggerId } },
          { upsert: true },
        );
        return r.modifiedCount + r.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async getFeedPosition(consumerId) {
      const d = await state.findOne({ _id: feedId(consumerId) });
      return (d?.position as string | undefined) ?? null;
    },
    async saveFeedPosition(consumerId, position) {
      await state.updateOne({ _id: feedId(consumerId) }, { $set: { kind: 'feed', position, updatedAt: ctx.now() } }, { upsert: true });
    },
  };
}
