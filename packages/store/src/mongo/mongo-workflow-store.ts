import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowDraft, WorkflowInput } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { WorkflowStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, triggerIdTaken, versionConflict } from '../shared/errors';
import { toWorkflow, toWorkflowVersion, workflowBody } from '../shared/workflow-doc';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';
import { deriveLiveTriggerIds, isTriggerIdTaken, LIVE_TRIGGER_IDS, liveTriggerIdsOf } from './mongo-trigger-ids';
import { repairPendingStats, storedStats } from './mongo-workflow-stats';

/** The filter of a workflow list page (newest `updatedAt` first, `_id` breaking ties), shared by full and summary lists. */
export function workflowListFilter(options: { status?: string | undefined; cursor?: string | undefined }): Document {
  const filter: Document = {};
  if (options.status) filter.status = options.status;
  if (options.cursor) {
    const [updatedAt, id] = decodeCursor(options.cursor, ['string', 'string']);
    filter.$or = [{ updatedAt: { $lt: updatedAt } }, { updatedAt, _id: { $lt: id } }];
  }
  return filter;
}

const BODY_FIELDS = ['name', 'description', 'nodes', 'edges', 'triggers', 'settings', 'tags'] as const;

function toWf(d: Document, workspaceId: string): Workflow {
  return toWorkflow(d as WorkflowInput, {
    id: String(d._id),
    workspaceId,
    status: d.status as Workflow['status'],
    version: d.version as number,
    stats: storedStats(d.stats),
    createdAt: String(d.createdAt),
    updatedAt: String(d.updatedAt),
  });
}

/**
 * Pipeline update of a full replace: values as `$literal` (node parameters are user JSON and may hold `$`-prefixed
 * or dotted keys), absent optional fields unset.
 */
function replaceBody(input: WorkflowInput, meta: Document): Document[] {
  const body = workflowBody(input) as Record<string, unknown>;
  const $set: Document = { ...meta };
  const unset: string[] = [];
  for (const f of BODY_FIELDS) {
    if (body[f] === undefined) unset.push(f);
    else $set[f] = { $literal: body[f] };
  }
  return [...(unset.length > 0 ? [{ $set }, { $unset: unset }] : [{ $set }]), deriveLiveTriggerIds];
}

/** Runs a write that may take trigger ids: the unique index refusing one becomes the API's 409. */
async function takingTriggerIds<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isTriggerIdTaken(error)) throw triggerIdTaken();
    throw error;
  }
}

/** Workflows (`workspace_{ws}_workflows`) and immutable versions (`workflow_versions`) on MongoDB. */
export function createMongoWorkflowStore(ctx: MongoContext): Omit<WorkflowStore, 'listWorkflowSummaries' | 'listWorkflowVersionSummaries'> {
  const versions = ctx.db.collection(names.versions);
  const counters = ctx.db.collection(names.counters);
  const bump = () => counters.updateOne({ _id: 'workflows' as never }, { $inc: { value: 1 } }, { upsert: true });
  const wfs = (ws: string) => ctx.collection(names.workflows(ws));
  /**
   * Stores the immutable copy of `version`. The workflow document changes body and version in one write and is
   * the source of truth; the copy is written after it, so a crash in between leaves a current version without a
   * copy, which {@link ensureCurrentVersion} rebuilds from the workflow document (repair on read).
   */
  const saveVersion = async (ws: string, workflowId: string, version: number, input: WorkflowInput, at: string, message?: string) => {
    try {
      const note = message === undefined ? {} : { message };
      await versions.insertOne({ _id: { w: ws, wf: workflowId, v: version } as never, workspaceId: ws, workflowId, version, ...workflowBody(input), ...note, createdAt: at });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // already stored (by a repair): the same body
    }
  };
  const ensureCurrentVersion = async (ws: string, workflowId: string): Promise<void> => {
    const d = await (await wfs(ws)).findOne({ _id: workflowId as never });
    if (!d) return;
    const version = d.version as number;
    if (await versions.findOne({ _id: { w: ws, wf: workflowId, v: version } as never }, { projection: { _id: 1 } })) return;
    await saveVersion(ws, workflowId, version, toWf(d, ws), String(d.updatedAt));
  };
  const toVersion = (d: Document) =>
    toWorkflowVersion(d as WorkflowInput, {
      workflowId: String(d.workflowId),
      workspaceId: String(d.workspaceId),
      version: d.version as number,
      message: typeof d.message === 'string' ? d.message : null,
      createdAt: String(d.createdAt),
    });
  const drafts = ctx.db.collection(names.drafts);
  const draftKey = (ws: string, workflowId: string) => ({ w: ws, wf: workflowId }) as never;
  const toDraft = (d: Document): WorkflowDraft => ({
    ...workflowBody(d.body as WorkflowInput),
    workflowId: String(d.workflowId),
    workspaceId: String(d.workspaceId),
    baseVersion: d.baseVersion as number,
    updatedAt: String(d.updatedAt),
  });

  return {
    async createWorkflow(workspaceId, input, options) {
      const id = options?.id ?? randomUUID();
      const now = ctx.now();
      const doc = { _id: id, ...workflowBody(input), ...liveTriggerIdsOf('draft', input.triggers), status: 'draft', version: 1, stats: { totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 }, timedRuns: 0, createdAt: now, updatedAt: now };
      try {
        await (await wfs(workspaceId)).insertOne(doc as unknown as Document);
      } catch (error) {
        if (isTriggerIdTaken(error)) throw triggerIdTaken();
        if (isDuplicateKey(error)) throw alreadyExists('Workflow', id);
        throw error;
      }
      await saveVersion(workspaceId, id, 1, input, now);
      await bump();
      return toWf(doc, workspaceId);
    },
    async getWorkflow(workspaceId, workflowId) {
      await repairPendingStats(ctx, workspaceId, workflowId);
      const d = await (await wfs(workspaceId)).findOne({ _id: workflowId as never });
      return d ? toWf(d, workspaceId) : null;
    },
    async listWorkflows(workspaceId, options = {}) {
      const limit = pageLimit(options.limit);
      const filter = workflowListFilter(options);
      const docs = await (await wfs(workspaceId)).find(filter).sort({ updatedAt: -1, _id: -1 }).limit(limit + 1).toArray();
      const items = docs.slice(0, limit).map((d) => toWf(d, workspaceId));
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.updatedAt, last.id]) : null };
    },
    async updateWorkflow(workspaceId, workflowId, input, options) {
      const collection = await wfs(workspaceId);
      for (;;) {
        const current = await collection.findOne({ _id: workflowId as never }, { projection: { version: 1 } });
        if (!current) return null;
        const version = current.version as number;
        if (options?.expectedVersion !== undefined && options.expectedVersion !== version) throw versionConflict(workflowId, options.expectedVersion, version);
        const now = ctx.now();
        // The copy of the version being replaced must exist before it stops being current.
        await ensureCurrentVersion(workspaceId, workflowId);
        const updated = await takingTriggerIds(() => collection.findOneAndUpdate({ _id: workflowId as never, version }, replaceBody(input, { version: version + 1, updatedAt: now }), { returnDocument: 'after' }));
        if (!updated) continue; // a concurrent save won: re-check expectedVersion against the new version
        await saveVersion(workspaceId, workflowId, version + 1, input, now, options?.message);
        await bump();
        return toWf(updated, workspaceId);
      }
    },
    async getWorkflowDraft(workspaceId, workflowId) {
      const d = await drafts.findOne({ _id: draftKey(workspaceId, workflowId) });
      return d ? toDraft(d) : null;
    },
    async saveWorkflowDraft(workspaceId, workflowId, input, baseVersion) {
      if (!(await (await wfs(workspaceId)).findOne({ _id: workflowId as never }, { projection: { _id: 1 } }))) return null;
      // The body goes in as one sub-document: node parameters are user JSON and may hold `$`-prefixed or dotted keys.
      const doc = { workspaceId, workflowId, baseVersion, body: workflowBody(input), updatedAt: ctx.now() };
      await drafts.replaceOne({ _id: draftKey(workspaceId, workflowId) }, doc, { upsert: true });
      return toDraft(doc);
    },
    async deleteWorkflowDraft(workspaceId, workflowId) {
      return (await drafts.deleteOne({ _id: draftKey(workspaceId, workflowId) })).deletedCount > 0;
    },
    async setWorkflowStatus(workspaceId, workflowId, status) {
      const collection = await wfs(workspaceId);
      const updated = await takingTriggerIds(() => collection.findOneAndUpdate({ _id: workflowId as never }, [{ $set: { status, updatedAt: ctx.now() } }, deriveLiveTriggerIds], { returnDocument: 'after' }));
      if (!updated) return null;
      await bump();
      return toWf(updated, workspaceId);
    },
    async getWorkflowVersion(workspaceId, workflowId, version) {
      let d = await versions.findOne({ workspaceId, workflowId, version });
      if (!d) {
        await ensureCurrentVersion(workspaceId, workflowId);
        d = await versions.findOne({ workspaceId, workflowId, version });
      }
      return d ? toVersion(d) : null;
    },
    async listWorkflowVersions(workspaceId, workflowId, options = {}) {
      const limit = pageLimit(options.limit);
      const before = options.cursor ? decodeCursor(options.cursor, ['number'])[0] : Number.MAX_SAFE_INTEGER;
      if (!options.cursor) await ensureCurrentVersion(workspaceId, workflowId);
      const docs = await versions.find({ workspaceId, workflowId, version: { $lt: before } }).sort({ version: -1 }).limit(limit + 1).toArray();
      const items = docs.slice(0, limit).map(toVersion);
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.version]) : null };
    },
    async listActiveWorkflows() {
      const collections = await ctx.db.listCollections({ name: { $regex: '^workspace_.+_workflows$' } }, { nameOnly: true }).toArray();
      const out: Workflow[] = [];
      for (const { name } of collections) {
        const workspaceId = name.slice('workspace_'.length, -'_workflows'.length);
        const docs = await ctx.db.collection(name).find({ status: 'active' }).sort({ _id: 1 }).toArray();
        out.push(...docs.map((d) => toWf(d, workspaceId)));
      }
      return out;
    },
    async workflowsChangeCounter() {
      const d = await counters.findOne({ _id: 'workflows' as never });
      return (d?.value as number | undefined) ?? 0;
    },
    async triggerIdOwners(workspaceId, triggerIds, exceptWorkflowId) {
      const owners = new Map<string, string>();
      if (triggerIds.length === 0) return owners;
      const wanted = new Set(triggerIds);
      const docs = await (await wfs(workspaceId)).find({ [LIVE_TRIGGER_IDS]: { $in: [...wanted] } }, { projection: { [LIVE_TRIGGER_IDS]: 1 } }).toArray();
      for (const d of docs) {
        if (String(d._id) === exceptWorkflowId) continue;
        for (const id of d[LIVE_TRIGGER_IDS] as string[]) if (wanted.has(id)) owners.set(id, String(d._id));
      }
      return owners;
    },
  };
}
