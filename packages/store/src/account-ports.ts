/**
 * The accounts port (issue 15): users, memberships, sessions, single-use tokens (invitations, password resets)
 * and the append-only audit log. Secrets never reach the store in the clear: passwords arrive as argon2id hashes
 * made by the caller, session ids and token values are random and only their SHA-256 is stored.
 */
import type { AccountToken, AccountTokenKind, AuditEntry, AuditInput, Member, Membership, Page, Role, SessionInfo, User, Workspace } from '@outrun/schemas';

export interface CreateUserInput {
  email: string;
  /** An argon2id PHC string, or null for a user who signs in only through OIDC (or the embedded local owner). */
  passwordHash: string | null;
  name?: string;
  instanceOwner?: boolean;
  id?: string;
}

export interface CreatedSecret<T> {
  /** The secret, returned once (cookie value or link token). */
  token: string;
  record: T;
}

export interface CreateAccountTokenInput {
  kind: AccountTokenKind;
  email: string;
  workspaceId?: string;
  role?: Role;
  createdBy?: string;
  ttlMs: number;
}

export interface AuditListOptions {
  /** A user id, key id or (for failed sign-ins) the attempted email. */
  actor?: string | undefined;
  action?: string | undefined;
  /** ISO instants bounding `at` (inclusive). */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A failed-sign-in counter (per account or per IP) shared by every gateway process. */
export interface SignInFailures {
  key: string;
  failures: number;
  /** Epoch ms of the latest failure (the lock runs from here). */
  lastFailureAt: number;
}

export interface AccountStore {
  countUsers(): Promise<number>;
  /** @throws UserError(ALREADY_EXISTS) when the email (case-insensitive) is taken. */
  createUser(input: CreateUserInput): Promise<User>;
  getUser(userId: string): Promise<User | null>;
  /** The user with their password hash (sign-in only). Emails compare lower-cased. */
  findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null>;
  /** @returns false when the user does not exist. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;

  /** Creates or changes a membership. */
  setMembership(workspaceId: string, userId: string, role: Role): Promise<Membership>;
  getMembership(workspaceId: string, userId: string): Promise<Membership | null>;
  /** Members of a workspace, oldest first. */
  listMembers(workspaceId: string): Promise<Member[]>;
  /** The workspaces a user belongs to, with the role in each. */
  listUserWorkspaces(userId: string): Promise<Array<{ workspace: Workspace; role: Role }>>;
  /** @returns false when there was no such membership. */
  removeMembership(workspaceId: string, userId: string): Promise<boolean>;

  /** A new session; `token` is the cookie value (only its hash is stored). */
  createSession(userId: string, options: { idleMs: number; absoluteMs: number }): Promise<CreatedSecret<SessionInfo>>;
  /**
   * The live session of a token, its idle expiry moved forward (at most once a minute: a write per request would
   * serialise the API); null when unknown, idle or past its absolute expiry.
   */
  touchSession(token: string, idleMs: number): Promise<SessionInfo | null>;
  /** @returns whether a session was revoked. */
  revokeSession(token: string): Promise<boolean>;
  /** Sign out everywhere. @returns how many sessions were revoked. */
  revokeUserSessions(userId: string): Promise<number>;

  createAccountToken(input: CreateAccountTokenInput): Promise<CreatedSecret<AccountToken>>;
  /** Uses a token once (atomically): null when unknown, of another kind, used or expired. */
  consumeAccountToken(kind: AccountTokenKind, token: string): Promise<AccountToken | null>;
  /** Open (unused, unexpired) invitations of a workspace. */
  listInvitations(workspaceId: string): Promise<AccountToken[]>;

  /**
   * Sign-in lockout counters (keys are opaque: the caller hashes them). Reading skips counters whose `forgetAt`
   * has passed; each adapter also removes them (SQLite on write, MongoDB by a TTL index), so a flood of distinct keys
   * cannot grow the table without bound.
   */
  readSignInFailures(keys: readonly string[], now: number): Promise<SignInFailures[]>;
  /** Counts one more failure for each key (atomically: concurrent failures in several processes all count). */
  recordSignInFailure(keys: readonly string[], at: number, forgetAt: number): Promise<void>;
  /** A successful sign-in forgets the account's failures. */
  clearSignInFailures(key: string): Promise<void>;

  /** Appends (never updates, never deletes). */
  appendAudit(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(workspaceId: string, options?: AuditListOptions): Promise<Page<AuditEntry>>;
}
