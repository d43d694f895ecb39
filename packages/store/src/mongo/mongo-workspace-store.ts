import { randomUUID } from 'node:crypto';
import type { ApiKeyInfo, Role, Workspace } from '@outrun/schemas';
import { Binary, type Document } from 'mongodb';
import type { WorkspaceStore } from '../ports';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from '../shared/api-key';
import { alreadyExists, compact } from '../shared/errors';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';

const LAST_USED_RESOLUTION_MS = 60_000;
const DUMMY_SALT = Buffer.alloc(16);

const toWorkspace = (d: Document): Workspace => ({ id: String(d._id), name: String(d.name), createdAt: String(d.createdAt) });
const toKeyInfo = (d: Document): ApiKeyInfo =>
  compact({ id: String(d._id), workspaceId: String(d.workspaceId), prefix: String(d.prefix), name: d.name as string | undefined, createdAt: String(d.createdAt), lastUsedAt: (d.lastUsedAt as string | null) ?? null, role: (d.role as Role | undefined) ?? 'admin', expiresAt: (d.expiresAt as string | null | undefined) ?? null });
const bytes = (b: unknown): Buffer => (b instanceof Binary ? Buffer.from(b.buffer) : Buffer.from(b as Uint8Array));

/** Workspaces and API keys on MongoDB (`workspaces`, `api_keys`). */
export function createMongoWorkspaceStore(ctx: MongoContext): WorkspaceStore {
  const workspaces = ctx.db.collection(names.workspaces);
  const keys = ctx.db.collection(names.apiKeys);
  return {
    async createWorkspace(input) {
      const doc = { _id: input.id ?? randomUUID(), name: input.name, createdAt: ctx.now() } as unknown as Document;
      try {
        await workspaces.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw alreadyExists('Workspace', String(doc._id));
        throw error;
      }
      await Promise.all([ctx.collection(names.workflows(String(doc._id))), ctx.collection(names.runs(String(doc._id)))]);
      return toWorkspace(doc);
    },
    async getWorkspace(workspaceId) {
      const doc = await workspaces.findOne({ _id: workspaceId as never });
      return doc ? toWorkspace(doc) : null;
    },
    async listWorkspaces() {
      return (await workspaces.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(toWorkspace);
    },
    async createApiKey(workspaceId, options) {
      // The 8-character prefix is the lookup key (unique): a collision (1 in 62^8 per pair) draws a new key.
      for (let attempt = 0; ; attempt++) {
        const key = generateApiKey();
        const doc = compact({ _id: randomUUID(), workspaceId, prefix: key.prefix, name: options?.name, salt: new Binary(key.salt), hash: new Binary(key.hash), createdAt: ctx.now(), lastUsedAt: null, role: options?.role ?? 'admin', expiresAt: options?.expiresAt ?? null });
        try {
          await keys.insertOne(doc as unknown as Document);
          return { info: toKeyInfo(doc), apiKey: key.secret };
        } catch (error) {
          if (!isDuplicateKey(error) || attempt >= 4) throw error;
        }
      }
    },
    async listApiKeys(workspaceId) {
      return (await keys.find({ workspaceId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toKeyInfo);
    },
    async revokeApiKey(workspaceId, keyId) {
      return (await keys.deleteOne({ _id: keyId as never, workspaceId })).deletedCount > 0;
    },
    async verifyApiKey(apiKey) {
      const prefix = apiKeyPrefix(apiKey);
      const doc = prefix === null ? null : await keys.findOne({ prefix });
      if (!doc) {
        hashApiKey(apiKey, DUMMY_SALT);
        return null;
      }
      if (!apiKeyMatches(apiKey, bytes(doc.salt), bytes(doc.hash))) return null;
      const now = ctx.now();
      // Keys stored before roles existed have no role (read as admin) and no expiry.
      if (typeof doc.expiresAt === 'string' && doc.expiresAt <= now) return null;
      const last = doc.lastUsedAt as string | null;
      if (last === null || Date.parse(now) - Date.parse(last) >= LAST_USED_RESOLUTION_MS) {
        await keys.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } });
        doc.lastUsedAt = now;
      }
      return toKeyInfo(doc);
    },
  };
}
