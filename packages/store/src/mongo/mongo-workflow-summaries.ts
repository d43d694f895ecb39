/**
 * Workflow and version summaries on MongoDB: the list pages without the graphs. Same filters, order and cursors as
 * `listWorkflows`/`listWorkflowVersions`; the counts come from `$size` in an aggregate `$project`, so the graphs stay
 * on the server. `sizeBytes` is the document's `$bsonSize` (a server without it — an emulator — gets the JSON size
 * computed here from the full documents, the slow path).
 */
import type { WorkflowStats, WorkflowStatus, WorkflowSummary, WorkflowVersionSummary } from '@outrun/schemas';
import type { Collection, Document } from 'mongodb';
import type { WorkflowStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { compact } from '../shared/errors';
import { names, type MongoContext } from './mongo-context';
import { workflowListFilter } from './mongo-workflow-store';

const sizeOf = (field: string) => ({ $size: { $ifNull: [`$${field}`, []] } });
const COUNTS = { nodeCount: sizeOf('nodes'), edgeCount: sizeOf('edges'), triggerCount: sizeOf('triggers') };

async function summarise(collection: Collection, filter: Document, sort: Document, limit: number, keep: Document): Promise<Document[]> {
  const head = [{ $match: filter }, { $sort: sort }, { $limit: limit }];
  try {
    return await collection.aggregate([...head, { $project: { ...keep, ...COUNTS, triggerIds: { $ifNull: ['$triggers.id', []] }, sizeBytes: { $bsonSize: '$$ROOT' } } }]).toArray();
  } catch {
    const docs = await collection.find(filter).sort(sort).limit(limit).toArray();
    return docs.map((d) => ({
      ...Object.fromEntries(Object.keys(keep).map((k) => [k, d[k]])),
      _id: d._id,
      nodeCount: (d.nodes as unknown[] | undefined)?.length ?? 0,
      edgeCount: (d.edges as unknown[] | undefined)?.length ?? 0,
      triggerCount: (d.triggers as unknown[] | undefined)?.length ?? 0,
      triggerIds: ((d.triggers as Array<{ id: string }> | undefined) ?? []).map((t) => t.id),
      sizeBytes: Buffer.byteLength(JSON.stringify(d)),
    }));
  }
}

const counts = (d: Document) => ({ nodeCount: d.nodeCount as number, edgeCount: d.edgeCount as number, triggerCount: d.triggerCount as number, sizeBytes: d.sizeBytes as number });

export function createMongoWorkflowSummaries(ctx: MongoContext): Pick<WorkflowStore, 'listWorkflowSummaries' | 'listWorkflowVersionSummaries'> {
  return {
    async listWorkflowSummaries(workspaceId, options = {}) {
      const limit = pageLimit(options.limit);
      const filter = workflowListFilter(options);
      const keep = { name: 1, description: 1, tags: 1, status: 1, version: 1, stats: 1, createdAt: 1, updatedAt: 1 };
      const docs = await summarise(await ctx.collection(names.workflows(workspaceId)), filter, { updatedAt: -1, _id: -1 }, limit + 1, keep);
      const items = docs.slice(0, limit).map(
        (d): WorkflowSummary =>
          compact({
            id: String(d._id),
            workspaceId,
            name: String(d.name),
            description: d.description as string | undefined,
            tags: d.tags as string[] | undefined,
            status: d.status as WorkflowStatus,
            version: d.version as number,
            stats: d.stats as WorkflowStats,
            createdAt: String(d.createdAt),
            updatedAt: String(d.updatedAt),
            ...counts(d),
            triggerIds: (d.triggerIds as string[] | undefined) ?? [],
          }),
      );
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.updatedAt, last.id]) : null };
    },
    async listWorkflowVersionSummaries(workspaceId, workflowId, options = {}) {
      const limit = pageLimit(options.limit);
      const before = options.cursor ? decodeCursor(options.cursor, ['number'])[0] : Number.MAX_SAFE_INTEGER;
      const keep = { workflowId: 1, workspaceId: 1, version: 1, name: 1, message: 1, createdAt: 1 };
      const docs = await summarise(ctx.db.collection(names.versions), { workspaceId, workflowId, version: { $lt: before } }, { version: -1 }, limit + 1, keep);
      const items = docs.slice(0, limit).map(
        (d): WorkflowVersionSummary => ({
          workflowId,
          workspaceId,
          version: d.version as number,
          name: String(d.name),
          ...(typeof d.message === 'string' ? { message: d.message } : {}),
          createdAt: String(d.createdAt),
          ...counts(d),
        }),
      );
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.version]) : null };
    },
  };
}
