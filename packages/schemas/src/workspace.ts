import { z } from 'zod';
import { Id, JsonObject, Timestamp } from './common';
import { Role } from './account';
import { DataOperation } from './trigger';
import { CredentialHosts, HTTP_CREDENTIAL_TYPES } from './credential-hosts';

export const Workspace = z.object({ id: Id, name: z.string().min(1).max(200), createdAt: Timestamp });
export type Workspace = z.infer<typeof Workspace>;

/** An API key as listed (never the secret). The secret is `out_<prefix>_<random>`; only a salted hash is stored. */
export const ApiKeyInfo = z.object({
  id: Id,
  workspaceId: Id,
  prefix: z.string(),
  name: z.string().optional(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  /** What the key may do (issue 15). Keys made before roles existed are `admin`. */
  role: Role.default('admin'),
  /** After this instant the key is refused. */
  expiresAt: Timestamp.nullable().default(null),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const CredentialType = z.enum(['webhook_secret', 'http_header', 'http_basic', 'http_bearer', 'openai', 'generic']);
export type CredentialType = z.infer<typeof CredentialType>;

/** Credential metadata; `data` is encrypted at rest and never returned by any route. */
export const CredentialInfo = z.object({
  id: Id,
  workspaceId: Id,
  name: z.string(),
  type: CredentialType,
  /** Where the credential may be sent (see `isHostAllowed`). Empty: nowhere (credentials created before hosts existed). */
  allowedHosts: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CredentialInfo = z.infer<typeof CredentialInfo>;

export const CredentialInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    type: CredentialType,
    data: JsonObject,
    /** Where the credential may be sent; required (at least one) for http_header, http_basic, http_bearer and openai. @default [] */
    allowedHosts: CredentialHosts.default([]),
  })
  .superRefine((c, issue) => {
    if (HTTP_CREDENTIAL_TYPES.includes(c.type) && c.allowedHosts.length === 0) {
      issue.addIssue({ code: 'custom', path: ['allowedHosts'], message: `a ${c.type} credential needs at least one allowed host (origin, host or *.domain) it may be sent to` });
    }
    if (c.type === 'webhook_secret' && c.allowedHosts.length > 0) {
      issue.addIssue({ code: 'custom', path: ['allowedHosts'], message: 'a webhook_secret is never sent anywhere: leave allowedHosts empty' });
    }
  });
export type CredentialInput = z.input<typeof CredentialInput>;

/** `PATCH …/credentials/:id`: replaces where the credential may be sent. */
export const CredentialHostsUpdate = z.strictObject({ allowedHosts: CredentialHosts.min(1) });
export type CredentialHostsUpdate = z.infer<typeof CredentialHostsUpdate>;

export const CollectionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)');

/** A document of a workspace data collection. */
export const DataDocument = z.object({
  id: Id,
  collection: CollectionName,
  data: JsonObject,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DataDocument = z.infer<typeof DataDocument>;

/** One change of a data collection, as the change feed delivers it. `position` is opaque and ordered. */
export const DataChangeEvent = z.object({
  position: z.string(),
  workspaceId: Id,
  collection: CollectionName,
  operation: DataOperation,
  documentId: Id,
  /** The document after the change (absent for delete). */
  document: JsonObject.optional(),
  /** The document before the change (update and delete). */
  before: JsonObject.optional(),
  at: Timestamp,
});
export type DataChangeEvent = z.infer<typeof DataChangeEvent>;
