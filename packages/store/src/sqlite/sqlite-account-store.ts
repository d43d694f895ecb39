import { randomUUID } from 'node:crypto';
import type { AccountToken, AuditEntry, Member, Membership, Role, SessionInfo, User } from '@outrun/schemas';
import type { AccountStore } from '../account-ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, compact } from '../shared/errors';
import { addMs, generateSecretToken, hashSecretToken, SESSION_TOUCH_RESOLUTION_MS } from '../shared/secret-token';
import { timeOrderedId } from '../shared/time-ordered-id';
import type { SqliteContext } from './sqlite-database';

interface UserRow { id: string; email: string; name: string | null; password_hash: string | null; instance_owner: number; created_at: string }
interface SessionRow { hash: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; idle_expires_at: string }
interface TokenRow { hash: string; id: string; kind: string; email: string; workspace_id: string | null; role: string | null; created_by: string | null; created_at: string; expires_at: string; used_at: string | null }

const toUser = (r: UserRow): User => compact({ id: r.id, email: r.email, name: r.name ?? undefined, instanceOwner: r.instance_owner === 1, createdAt: r.created_at });
const toMembership = (r: { workspace_id: string; user_id: string; role: string; created_at: string }): Membership => ({ workspaceId: r.workspace_id, userId: r.user_id, role: r.role as Role, createdAt: r.created_at });
const toSession = (r: SessionRow): SessionInfo => ({ userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, idleExpiresAt: r.idle_expires_at });
const toToken = (r: TokenRow): AccountToken =>
  compact({ id: r.id, kind: r.kind as AccountToken['kind'], email: r.email, workspaceId: r.workspace_id ?? undefined, role: (r.role as Role | null) ?? undefined, createdBy: r.created_by ?? undefined, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at });

/** Users, memberships, sessions, link tokens and the audit log on SQLite (migration 8); lockout counters (13). */
export function createSqliteAccountStore(ctx: SqliteContext): AccountStore {
  const liveSession = (hash: string, now: string): SessionRow | null => {
    const row = ctx.stmt('SELECT * FROM sessions WHERE hash = ?').get(hash) as SessionRow | undefined;
    if (!row) return null;
    if (row.expires_at <= now || row.idle_expires_at <= now) {
      ctx.stmt('DELETE FROM sessions WHERE hash = ?').run(hash);
      return null;
    }
    return row;
  };
  return {
    countUsers: () => ctx.run(() => (ctx.stmt('SELECT count(*) AS n FROM users').get() as { n: number }).n),
    createUser: (input) =>
      ctx.write(() => {
        const row: UserRow = { id: input.id ?? randomUUID(), email: input.email.toLowerCase(), name: input.name ?? null, password_hash: input.passwordHash, instance_owner: input.instanceOwner ? 1 : 0, created_at: ctx.now() };
        const r = ctx.stmt('INSERT INTO users (id, email, name, password_hash, instance_owner, created_at) VALUES (@id, @email, @name, @password_hash, @instance_owner, @created_at) ON CONFLICT DO NOTHING').run(row);
        if (r.changes === 0) throw alreadyExists('User', row.email);
        return toUser(row);
      }),
    getUser: (userId) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
        return row ? toUser(row) : null;
      }),
    findUserByEmail: (email) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT * FROM users WHERE email = ?').get(email.toLowerCase()) as UserRow | undefined;
        return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
      }),
    setPasswordHash: (userId, hash) => ctx.write(() => ctx.stmt('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId).changes > 0),

    setMembership: (workspaceId, userId, role) =>
      ctx.write(() => {
        const row = { workspace_id: workspaceId, user_id: userId, role, created_at: ctx.now() };
        ctx.stmt('INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (@workspace_id, @user_id, @role, @created_at) ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role').run(row);
        return toMembership(ctx.stmt('SELECT * FROM memberships WHERE workspace_id = ? AND user_id = ?').get(workspaceId, userId) as typeof row);
      }),
    getMembership: (workspaceId, userId) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT * FROM memberships WHERE workspace_id = ? AND user_id = ?').get(workspaceId, userId) as Parameters<typeof toMembership>[0] | undefined;
        return row ? toMembership(row) : null;
      }),
    listMembers: (workspaceId) =>
      ctx.run(() =>
        (ctx.stmt('SELECT m.*, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? ORDER BY m.created_at, m.user_id').all(workspaceId) as Array<Parameters<typeof toMembership>[0] & { email: string; name: string | null }>).map(
          (r): Member => compact({ ...toMembership(r), email: r.email, name: r.name ?? undefined }),
        ),
      ),
    listUserWorkspaces: (userId) =>
      ctx.run(() =>
        (ctx.stmt('SELECT w.id, w.name, w.created_at, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? ORDER BY w.created_at, w.id').all(userId) as Array<{ id: string; name: string; created_at: string; role: string }>).map((r) => ({
          workspace: { id: r.id, name: r.name, createdAt: r.created_at },
          role: r.role as Role,
        })),
      ),
    removeMembership: (workspaceId, userId) => ctx.write(() => ctx.stmt('DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?').run(workspaceId, userId).changes > 0),

    createSession: (userId, options) =>
      ctx.write(() => {
        const { token, hash } = generateSecretToken();
        const now = ctx.now();
        const expires = addMs(now, options.absoluteMs);
        const idle = addMs(now, Math.min(options.idleMs, options.absoluteMs));
        const row: SessionRow = { hash, user_id: userId, created_at: now, last_seen_at: now, expires_at: expires, idle_expires_at: idle };
        ctx.stmt('INSERT INTO sessions (hash, user_id, created_at, last_seen_at, expires_at, idle_expires_at) VALUES (@hash, @user_id, @created_at, @last_seen_at, @expires_at, @idle_expires_at)').run(row);
        return { token, record: toSession(row) };
      }),
    touchSession: async (token, idleMs) => {
      const hash = hashSecretToken(token);
      const now = ctx.now();
      const row = await ctx.run(() => ctx.stmt('SELECT * FROM sessions WHERE hash = ?').get(hash) as SessionRow | undefined);
      if (!row) return null;
      if (row.expires_at > now && row.idle_expires_at > now && Date.parse(now) - Date.parse(row.last_seen_at) < SESSION_TOUCH_RESOLUTION_MS) return toSession(row);
      return ctx.write(() => {
        const live = liveSession(hash, now);
        if (!live) return null;
        const idle = addMs(now, idleMs);
        live.idle_expires_at = idle < live.expires_at ? idle : live.expires_at;
        live.last_seen_at = now;
        ctx.stmt('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE hash = ?').run(now, live.idle_expires_at, hash);
        return toSession(live);
      });
    },
    revokeSession: (token) => ctx.write(() => ctx.stmt('DELETE FROM sessions WHERE hash = ?').run(hashSecretToken(token)).changes > 0),
    revokeUserSessions: (userId) => ctx.write(() => ctx.stmt('DELETE FROM sessions WHERE user_id = ?').run(userId).changes),

    createAccountToken: (input) =>
      ctx.write(() => {
        const { token, hash } = generateSecretToken();
        const now = ctx.now();
        const row: TokenRow = { hash, id: randomUUID(), kind: input.kind, email: input.email.toLowerCase(), workspace_id: input.workspaceId ?? null, role: input.role ?? null, created_by: input.createdBy ?? null, created_at: now, expires_at: addMs(now, input.ttlMs), used_at: null };
        ctx.stmt('INSERT INTO account_tokens (hash, id, kind, email, workspace_id, role, created_by, created_at, expires_at, used_at) VALUES (@hash, @id, @kind, @email, @workspace_id, @role, @created_by, @created_at, @expires_at, @used_at)').run(row);
        return { token, record: toToken(row) };
      }),
    consumeAccountToken: (kind, token) =>
      ctx.write(() => {
        const now = ctx.now();
        const hash = hashSecretToken(token);
        // One statement: two concurrent uses cannot both see it unused.
        const r = ctx.stmt('UPDATE account_tokens SET used_at = ? WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?').run(now, hash, kind, now);
        if (r.changes === 0) return null;
        return toToken(ctx.stmt('SELECT * FROM account_tokens WHERE hash = ?').get(hash) as TokenRow);
      }),
    listInvitations: (workspaceId) =>
      ctx.run(() =>
        (ctx.stmt("SELECT * FROM account_tokens WHERE workspace_id = ? AND kind = 'invitation' AND used_at IS NULL AND expires_at > ? ORDER BY created_at, id").all(workspaceId, ctx.now()) as TokenRow[]).map(toToken),
      ),

    readSignInFailures: (keys, now) =>
      ctx.run(() => {
        if (keys.length === 0) return [];
        const rows = ctx.stmt(`SELECT key, failures, last_failure_at FROM sign_in_failures WHERE key IN (${keys.map(() => '?').join(', ')}) AND forget_at > ?`).all(...keys, now) as Array<{ key: string; failures: number; last_failure_at: number }>;
        return rows.map((r) => ({ key: r.key, failures: r.failures, lastFailureAt: r.last_failure_at }));
      }),
    recordSignInFailure: (keys, at, forgetAt) =>
      ctx.write(() => {
        ctx.stmt('DELETE FROM sign_in_failures WHERE forget_at <= ?').run(at);
        const upsert = ctx.stmt('INSERT INTO sign_in_failures (key, failures, last_failure_at, forget_at) VALUES (?, 1, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure_at = max(last_failure_at, excluded.last_failure_at), forget_at = max(forget_at, excluded.forget_at)');
        for (const key of keys) upsert.run(key, at, forgetAt);
      }),
    clearSignInFailures: (key) =>
      ctx.write(() => {
        ctx.stmt('DELETE FROM sign_in_failures WHERE key = ?').run(key);
      }),

    appendAudit: (input) =>
      ctx.write(() => {
        const at = ctx.now();
        const entry: AuditEntry = compact({ ...input, id: timeOrderedId(Date.parse(at)), at });
        ctx.stmt('INSERT INTO audit_entries (id, workspace_id, at, actor_id, actor_label, action, body) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          entry.id, entry.workspaceId, entry.at, entry.actor.id, entry.actor.label ?? null, entry.action, JSON.stringify(entry),
        );
        return entry;
      }),
    listAudit: (workspaceId, options = {}) =>
      ctx.run(() => {
        const limit = pageLimit(options.limit);
        const where = ['workspace_id = ?'];
        const args: unknown[] = [workspaceId];
        if (options.actor !== undefined) {
          where.push('(actor_id = ? OR actor_label = ?)');
          args.push(options.actor, options.actor.toLowerCase());
        }
        if (options.action !== undefined) {
          where.push('action = ?');
          args.push(options.action);
        }
        if (options.from !== undefined) {
          where.push('at >= ?');
          args.push(new Date(options.from).toISOString());
        }
        if (options.to !== undefined) {
          where.push('at <= ?');
          args.push(new Date(options.to).toISOString());
        }
        if (options.cursor !== undefined) {
          where.push('id < ?');
          args.push(decodeCursor(options.cursor, ['string'])[0]);
        }
        const rows = ctx.stmt(`SELECT body FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, limit + 1) as Array<{ body: string }>;
        const items = rows.slice(0, limit).map((r) => JSON.parse(r.body) as AuditEntry);
        return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1]!.id]) : null };
      }),
  };
}
