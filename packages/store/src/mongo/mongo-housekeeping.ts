/**
 * Housekeeping on MongoDB: usage counts, version pruning, retention cutoffs and the lease, with plain CRUD and
 * aggregate operations only (the contract suite also runs against a wire-protocol emulator).
 */
import type { WorkflowStatus } from '@outrun/schemas';
import type { Collection, Document } from 'mongodb';
import type { HousekeepingStore } from '../ports';
import { names, type MongoContext } from './mongo-context';
import { runsCollection } from './mongo-run-docs';

const LEASES = 'leases';
const PRUNE_CHUNK = 500;

/**
 * Bytes of the matching documents: `$bsonSize` on the server; where that operator is missing (an emulator), the
 * documents' JSON size summed here (bounded by the version history and the stored-bytes quota itself).
 */
async function sizeOf(collection: Collection, filter: Document): Promise<number> {
  try {
    const [g] = await collection.aggregate([{ $match: filter }, { $group: { _id: null, b: { $sum: { $bsonSize: '$$ROOT' } } } }]).toArray();
    return typeof g?.b === 'number' ? g.b : 0;
  } catch {
    let bytes = 0;
    for await (const d of collection.find(filter)) bytes += Buffer.byteLength(JSON.stringify(d));
    return bytes;
  }
}

export function createMongoHousekeeping(ctx: MongoContext): HousekeepingStore {
  const versions = ctx.db.collection(names.versions);
  const leases = ctx.db.collection(LEASES);
  return {
    async usage(workspaceId) {
      const workflows: Record<WorkflowStatus, number> = { draft: 0, active: 0, paused: 0, archived: 0 };
      const wfs = await ctx.collection(names.workflows(workspaceId));
      for (const g of await wfs.aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray()) workflows[g._id as WorkflowStatus] = g.n as number;
      const apiKeys = await ctx.db.collection(names.apiKeys).countDocuments({ workspaceId });
      let storedBytes = await sizeOf(versions, { workspaceId });
      const dataCollections = await ctx.db.listCollections({ name: { $regex: `^${escapeRegex(names.data(workspaceId, ''))}` } }, { nameOnly: true }).toArray();
      for (const { name } of dataCollections) storedBytes += await sizeOf(ctx.db.collection(name), {});
      return { workflows, apiKeys, storedBytes };
    },
    async pruneWorkflowVersions(workspaceId, workflowId, keep) {
      const wf = await (await ctx.collection(names.workflows(workspaceId))).findOne({ _id: workflowId as never }, { projection: { version: 1 } });
      if (!wf) return 0;
      const newestPrunable = (wf.version as number) - Math.max(1, keep);
      if (newestPrunable < 1) return 0;
      const runs = await runsCollection(ctx, workspaceId);
      const pinned = await runs.distinct('workflowVersion', { workflowId, status: { $in: ['queued', 'running'] } });
      let deleted = 0;
      for (;;) {
        const chunk = await versions
          .find({ workspaceId, workflowId, version: { $lte: newestPrunable, $nin: pinned } }, { projection: { _id: 1 } })
          .sort({ version: 1 })
          .limit(PRUNE_CHUNK)
          .toArray();
        if (chunk.length === 0) return deleted;
        deleted += (await versions.deleteMany({ _id: { $in: chunk.map((d) => d._id) } })).deletedCount;
        if (chunk.length < PRUNE_CHUNK) return deleted;
      }
    },
    async workflowsWithVersionsBeyond(workspaceId, keep) {
      const groups = await versions.aggregate([{ $match: { workspaceId } }, { $group: { _id: '$workflowId', n: { $sum: 1 } } }, { $match: { n: { $gt: keep } } }]).toArray();
      return groups.map((g) => String(g._id));
    },
    async finishedAtOfNth(workspaceId, n, order) {
      const runs = await runsCollection(ctx, workspaceId);
      const d = await runs
        .find({ workspaceId, finishedAt: { $exists: true } }, { projection: { finishedAt: 1 } })
        .sort({ finishedAt: order === 'oldest' ? 1 : -1 })
        .skip(Math.max(0, n - 1))
        .limit(1)
        .next();
      return d ? String(d.finishedAt) : null;
    },
    async tryLease(name, holder, ttlMs) {
      const now = Date.parse(ctx.now());
      const r = await leases.updateOne({ _id: name as never, $or: [{ holder }, { expiresAt: { $lte: now } }] }, { $set: { holder, expiresAt: now + ttlMs } });
      if (r.matchedCount === 1) return true;
      try {
        await leases.insertOne({ _id: name as never, holder, expiresAt: now + ttlMs });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 11000) return false; // held by another process
        throw error;
      }
    },
    reclaimSpace: () => Promise.resolve({ freedPages: 0 }),
  };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
