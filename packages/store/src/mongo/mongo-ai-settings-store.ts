import type { PriceOverride } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { AiSettingsStore } from '../ports';
import { compact } from '../shared/errors';
import type { MongoContext } from './mongo-context';

/** Shared collections (one document per workspace + model, one per workspace). */
const PRICES = 'ai_price_overrides';
const SETTINGS = 'workspace_ai_settings';

const toOverride = (d: Document): PriceOverride =>
  compact({
    model: String(d.model), input: d.input as number, cachedInput: (d.cachedInput as number | null) ?? undefined, output: d.output as number,
    note: (d.note as string | null) ?? undefined, updatedAt: String(d.updatedAt),
  });

/** Workspace AI settings on MongoDB. Ids are `{w, m}` documents, so a workspace's models share a key prefix. */
export function createMongoAiSettingsStore(ctx: MongoContext): AiSettingsStore {
  // A workspace's overrides are read at every run attempt: an index keeps that read to its own documents.
  let indexed: Promise<unknown> | undefined;
  const prices = async () => {
    const collection = await ctx.collection(PRICES);
    indexed ??= collection.createIndex({ '_id.w': 1, model: 1 }, { name: 'by_workspace_model' }).catch((err: unknown) => {
      indexed = undefined;
      throw err;
    });
    await indexed;
    return collection;
  };
  return {
    async listPriceOverrides(workspaceId) {
      const docs = await (await prices()).find({ '_id.w': workspaceId }).sort({ model: 1 }).toArray();
      return docs.map(toOverride);
    },
    async putPriceOverride(workspaceId, model, price) {
      const doc = { model, input: price.input, cachedInput: price.cachedInput ?? null, output: price.output, note: price.note ?? null, updatedAt: ctx.now() };
      await (await prices()).replaceOne({ _id: { w: workspaceId, m: model } as never }, doc, { upsert: true });
      return toOverride(doc);
    },
    async deletePriceOverride(workspaceId, model) {
      const r = await (await prices()).deleteOne({ _id: { w: workspaceId, m: model } as never });
      return r.deletedCount > 0;
    },
    async getAiSettings(workspaceId) {
      const d = await (await ctx.collection(SETTINGS)).findOne({ _id: workspaceId as never });
      return { traceContent: d?.traceContent === true };
    },
    async setAiSettings(workspaceId, settings) {
      await (await ctx.collection(SETTINGS)).updateOne({ _id: workspaceId as never }, { $set: { traceContent: settings.traceContent, updatedAt: ctx.now() } }, { upsert: true });
      return { traceContent: settings.traceContent };
    },
  };
}
