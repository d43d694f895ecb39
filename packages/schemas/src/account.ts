/**
 * People: users, workspace memberships and roles, sessions, invitations and the audit log (issue 15).
 */
import { z } from 'zod';
import { Id, Timestamp } from './common';

/** Roles per workspace, most powerful first. `operator` runs and cancels but edits nothing. */
export const Role = z.enum(['owner', 'admin', 'editor', 'operator', 'viewer']);
export type Role = z.infer<typeof Role>;

export const Email = z.string().trim().toLowerCase().max(320).pipe(z.email());

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string().optional(),
  /** The first user of an installation: may open sign-up and create workspaces. */
  instanceOwner: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

/** A user's place in a workspace. */
export const Membership = z.object({ workspaceId: Id, userId: Id, role: Role, createdAt: Timestamp });
export type Membership = z.infer<typeof Membership>;

/** A member as listed: the membership with the user's email and name. */
export const Member = Membership.extend({ email: z.string(), name: z.string().optional() });
export type Member = z.infer<typeof Member>;

/** A browser session (the id is never stored: only its hash). */
export const SessionInfo = z.object({
  userId: Id,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  /** Absolute expiry (not extended by activity). */
  expiresAt: Timestamp,
  /** Idle expiry: moved forward by activity, never past `expiresAt`. */
  idleExpiresAt: Timestamp,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Single-use secret links: an invitation into a workspace, or a password reset. Only the token's hash is stored. */
export const AccountTokenKind = z.enum(['invitation', 'password_reset']);
export type AccountTokenKind = z.infer<typeof AccountTokenKind>;

export const AccountToken = z.object({
  id: Id,
  kind: AccountTokenKind,
  email: z.string(),
  /** Invitations: the workspace and role offered. */
  workspaceId: Id.optional(),
  role: Role.optional(),
  /** Who created it (invitations: the inviting user). */
  createdBy: z.string().optional(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  usedAt: Timestamp.nullable(),
});
export type AccountToken = z.infer<typeof AccountToken>;

export const AuditActor = z.object({
  type: z.enum(['user', 'api_key', 'system', 'anonymous']),
  id: z.string(),
  /** Email of a user, name/prefix of a key, the attempted email of a failed sign-in. */
  label: z.string().optional(),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** One append-only audit record. Never holds a secret: targets are ids, values are version numbers or roles. */
export const AuditEntry = z.object({
  id: Id,
  workspaceId: Id,
  at: Timestamp,
  actor: AuditActor,
  /** e.g. `workflow.created`, `member.role_changed`, `auth.sign_in_failed`. */
  action: z.string().max(100),
  target: z.object({ type: z.string(), id: z.string() }).optional(),
  ip: z.string().optional(),
  beforeVersion: z.number().int().optional(),
  afterVersion: z.number().int().optional(),
  /** Small non-secret facts (a role, a name). */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export const AuditQuery = z.object({
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(200).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
