import { randomUUID } from 'node:crypto';
import type { AccountToken, AuditEntry, Member, Membership, Role, SessionInfo, User } from '@outrun/schemas';
import type { Db, Document, Filter } from 'mongodb';
import type { AccountStore } from '../account-ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, compact } from '../shared/errors';
import { addMs, generateSecretToken, hashSecretToken, SESSION_TOUCH_RESOLUTION_MS } from '../shared/secret-token';
import { timeOrderedId } from '../shared/time-ordered-id';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';

/** Collections of the accounts port (shared, not per workspace). */
export const accountCollections = {
  users: 'users',
  memberships: 'memberships',
  sessions: 'sessions',
  tokens: 'account_tokens',
  audit: 'audit_entries',
  signInFailures: 'sign_in_failures',
} as const;

/** Creates the accounts indexes (start-up, idempotent). */
export async function ensureAccountIndexes(db: Db): Promise<void> {
  const c = accountCollections;
  await Promise.all([
    db.collection(c.users).createIndexes([{ key: { email: 1 }, name: 'email', unique: true }]),
    db.collection(c.memberships).createIndexes([
      { key: { workspaceId: 1, userId: 1 }, name: 'unique_member', unique: true },
      { key: { userId: 1 }, name: 'by_user' },
    ]),
    db.collection(c.sessions).createIndexes([{ key: { userId: 1 }, name: 'by_user' }]),
    db.collection(c.tokens).createIndexes([{ key: { workspaceId: 1, kind: 1 }, name: 'by_workspace' }]),
    db.collection(c.audit).createIndexes([{ key: { workspaceId: 1, _id: -1 }, name: 'by_workspace' }]),
    // MongoDB removes a lockout counter once it is forgotten (the collection cannot grow without bound).
    db.collection(c.signInFailures).createIndexes([{ key: { forgetAt: 1 }, name: 'forget', expireAfterSeconds: 0 }]),
  ]);
}

const toUser = (d: Document): User => compact({ id: String(d._id), email: String(d.email), name: d.name as string | undefined, instanceOwner: d.instanceOwner === true, createdAt: String(d.createdAt) });
const toMembership = (d: Document): Membership => ({ workspaceId: String(d.workspaceId), userId: String(d.userId), role: d.role as Role, createdAt: String(d.createdAt) });
const toSession = (d: Document): SessionInfo => ({ userId: String(d.userId), createdAt: String(d.createdAt), lastSeenAt: String(d.lastSeenAt), expiresAt: String(d.expiresAt), idleExpiresAt: String(d.idleExpiresAt) });
const toToken = (d: Document): AccountToken =>
  compact({ id: String(d.id), kind: d.kind as AccountToken['kind'], email: String(d.email), workspaceId: d.workspaceId as string | undefined, role: d.role as Role | undefined, createdBy: d.createdBy as string | undefined, createdAt: String(d.createdAt), expiresAt: String(d.expiresAt), usedAt: (d.usedAt as string | null) ?? null });

/** Users, memberships, sessions, link tokens and the audit log on MongoDB. */
export function createMongoAccountStore(ctx: MongoContext): AccountStore {
  const users = ctx.db.collection(accountCollections.users);
  const memberships = ctx.db.collection(accountCollections.memberships);
  const sessions = ctx.db.collection(accountCollections.sessions);
  const tokens = ctx.db.collection(accountCollections.tokens);
  const audit = ctx.db.collection(accountCollections.audit);
  const signInFailures = ctx.db.collection(accountCollections.signInFailures);
  const workspaces = ctx.db.collection(names.workspaces);
  return {
    countUsers: () => users.countDocuments({}),
    async createUser(input) {
      const doc = compact({ _id: input.id ?? randomUUID(), email: input.email.toLowerCase(), name: input.name, passwordHash: input.passwordHash, instanceOwner: input.instanceOwner === true, createdAt: ctx.now() });
      try {
        await users.insertOne(doc as unknown as Document);
      } catch (error) {
        if (isDuplicateKey(error)) throw alreadyExists('User', doc.email);
        throw error;
      }
      return toUser(doc);
    },
    async getUser(userId) {
      const doc = await users.findOne({ _id: userId as never });
      return doc ? toUser(doc) : null;
    },
    async findUserByEmail(email) {
      const doc = await users.findOne({ email: email.toLowerCase() });
      return doc ? { user: toUser(doc), passwordHash: (doc.passwordHash as string | null | undefined) ?? null } : null;
    },
    async setPasswordHash(userId, passwordHash) {
      return (await users.updateOne({ _id: userId as never }, { $set: { passwordHash } })).matchedCount > 0;
    },

    async setMembership(workspaceId, userId, role) {
      await memberships.updateOne({ workspaceId, userId }, { $set: { role }, $setOnInsert: { createdAt: ctx.now() } }, { upsert: true });
      return toMembership((await memberships.findOne({ workspaceId, userId }))!);
    },
    async getMembership(workspaceId, userId) {
      const doc = await memberships.findOne({ workspaceId, userId });
      return doc ? toMembership(doc) : null;
    },
    async listMembers(workspaceId) {
      const rows = await memberships.find({ workspaceId }).sort({ createdAt: 1, userId: 1 }).toArray();
      const people = new Map((await users.find({ _id: { $in: rows.map((r) => r.userId as never) } }).toArray()).map((u) => [String(u._id), u]));
      return rows.flatMap((r): Member[] => {
        const u = people.get(String(r.userId));
        return u ? [compact({ ...toMembership(r), email: String(u.email), name: u.name as string | undefined })] : [];
      });
    },
    async listUserWorkspaces(userId) {
      const rows = await memberships.find({ userId }).toArray();
      const found = await workspaces.find({ _id: { $in: rows.map((r) => r.workspaceId as never) } }).sort({ createdAt: 1, _id: 1 }).toArray();
      const roles = new Map(rows.map((r) => [String(r.workspaceId), r.role as Role]));
      return found.map((w) => ({ workspace: { id: String(w._id), name: String(w.name), createdAt: String(w.createdAt) }, role: roles.get(String(w._id))! }));
    },
    async removeMembership(workspaceId, userId) {
      return (await memberships.deleteOne({ workspaceId, userId })).deletedCount > 0;
    },

    async createSession(userId, options) {
      const { token, hash } = generateSecretToken();
      const now = ctx.now();
      const doc = { _id: hash, userId, createdAt: now, lastSeenAt: now, expiresAt: addMs(now, options.absoluteMs), idleExpiresAt: addMs(now, Math.min(options.idleMs, options.absoluteMs)) };
      await sessions.insertOne(doc as unknown as Document);
      return { token, record: toSession(doc) };
    },
    async touchSession(token, idleMs) {
      const hash = hashSecretToken(token);
      const now = ctx.now();
      const doc = await sessions.findOne({ _id: hash as never });
      if (!doc) return null;
      if (String(doc.expiresAt) <= now || String(doc.idleExpiresAt) <= now) {
        await sessions.deleteOne({ _id: hash as never });
        return null;
      }
      if (Date.parse(now) - Date.parse(String(doc.lastSeenAt)) < SESSION_TOUCH_RESOLUTION_MS) return toSession(doc);
      const idle = addMs(now, idleMs);
      const idleExpiresAt = idle < String(doc.expiresAt) ? idle : String(doc.expiresAt);
      // Only a still-live session is extended (a concurrent revoke wins).
      const r = await sessions.updateOne({ _id: hash as never }, { $set: { lastSeenAt: now, idleExpiresAt } });
      return r.matchedCount > 0 ? toSession({ ...doc, lastSeenAt: now, idleExpiresAt }) : null;
    },
    async revokeSession(token) {
      return (await sessions.deleteOne({ _id: hashSecretToken(token) as never })).deletedCount > 0;
    },
    async revokeUserSessions(userId) {
      return (await sessions.deleteMany({ userId })).deletedCount;
    },

    async createAccountToken(input) {
      const { token, hash } = generateSecretToken();
      const now = ctx.now();
      const doc = compact({ _id: hash, id: randomUUID(), kind: input.kind, email: input.email.toLowerCase(), workspaceId: input.workspaceId, role: input.role, createdBy: input.createdBy, createdAt: now, expiresAt: addMs(now, input.ttlMs), usedAt: null });
      await tokens.insertOne(doc as unknown as Document);
      return { token, record: toToken(doc) };
    },
    async consumeAccountToken(kind, token) {
      const now = ctx.now();
      // One conditional update: two concurrent uses cannot both match usedAt: null.
      const doc = await tokens.findOneAndUpdate({ _id: hashSecretToken(token) as never, kind, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { returnDocument: 'after' });
      return doc ? toToken(doc) : null;
    },
    async listInvitations(workspaceId) {
      return (await tokens.find({ workspaceId, kind: 'invitation', usedAt: null, expiresAt: { $gt: ctx.now() } }).sort({ createdAt: 1, id: 1 }).toArray()).map(toToken);
    },

    async readSignInFailures(keys, now) {
      if (keys.length === 0) return [];
      // The TTL monitor runs about once a minute: a forgotten counter may still be there, so the filter checks too.
      const docs = await signInFailures.find({ _id: { $in: [...keys] as never[] }, forgetAt: { $gt: new Date(now) } }).toArray();
      return docs.map((d) => ({ key: String(d._id), failures: Number(d.failures), lastFailureAt: Number(d.lastFailureAt) }));
    },
    async recordSignInFailure(keys, at, forgetAt) {
      if (keys.length === 0) return;
      // A forgotten counter the TTL monitor has not removed yet starts again from zero.
      await signInFailures.deleteMany({ _id: { $in: [...keys] as never[] }, forgetAt: { $lte: new Date(at) } });
      await signInFailures.bulkWrite(
        keys.map((key) => ({ updateOne: { filter: { _id: key as never }, update: { $inc: { failures: 1 }, $max: { lastFailureAt: at, forgetAt: new Date(forgetAt) } }, upsert: true } })),
        { ordered: false },
      );
    },
    async clearSignInFailures(key) {
      await signInFailures.deleteOne({ _id: key as never });
    },

    async appendAudit(input) {
      const at = ctx.now();
      const entry: AuditEntry = compact({ ...input, id: timeOrderedId(Date.parse(at)), at });
      await audit.insertOne({ _id: entry.id as never, entry, workspaceId: entry.workspaceId, at, actorId: entry.actor.id, actorLabel: entry.actor.label, action: entry.action });
      return entry;
    },
    async listAudit(workspaceId, options = {}) {
      const limit = pageLimit(options.limit);
      const filter: Filter<Document> = { workspaceId };
      if (options.actor !== undefined) filter.$or = [{ actorId: options.actor }, { actorLabel: options.actor.toLowerCase() }];
      if (options.action !== undefined) filter.action = options.action;
      const at: Document = {};
      if (options.from !== undefined) at.$gte = new Date(options.from).toISOString();
      if (options.to !== undefined) at.$lte = new Date(options.to).toISOString();
      if (Object.keys(at).length > 0) filter.at = at;
      if (options.cursor !== undefined) filter._id = { $lt: decodeCursor(options.cursor, ['string'])[0] as never };
      const docs = await audit.find(filter).sort({ _id: -1 }).limit(limit + 1).toArray();
      const items = docs.slice(0, limit).map((d) => d.entry as AuditEntry);
      return { items, nextCursor: docs.length > limit ? encodeCursor([items[items.length - 1]!.id]) : null };
    },
  };
}
