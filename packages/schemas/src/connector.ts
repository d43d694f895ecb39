/** Connectors (docs/connectors.md): how the API lists them, and the config of an event-source trigger. */
import { z } from 'zod';
import { Id, JsonObject } from './common';

export const ConnectorCategory = z.enum(['database', 'messaging', 'communication', 'developer', 'other']);

/** A credential type a connector declares (`postgres.connection`): its fields' JSON Schema and which are secret. */
export const ConnectorCredentialType = z.object({
  type: z.string(),
  label: z.string(),
  secretFields: z.array(z.string()),
  /** The connector can try a credential of this type against the service. */
  testable: z.boolean(),
  schema: z.record(z.string(), z.unknown()),
});

/** One connector as `GET /api/connectors` lists it. */
export const ConnectorSummary = z.object({
  name: z.string(),
  version: z.string(),
  major: z.number().int(),
  label: z.string(),
  description: z.string(),
  category: ConnectorCategory,
  icon: z.string(),
  credentials: z.array(ConnectorCredentialType),
  actions: z.array(z.object({ nodeType: z.string(), label: z.string(), description: z.string(), credential: z.string().nullable(), paramsSchema: z.record(z.string(), z.unknown()) })),
  triggers: z.array(z.object({ source: z.string(), label: z.string(), description: z.string(), credential: z.string().nullable(), paramsSchema: z.record(z.string(), z.unknown()) })),
});
export type ConnectorSummary = z.infer<typeof ConnectorSummary>;

/** The connector a node type belongs to, on its `GET /api/nodes` entry. */
export const NodeConnectorInfo = z.object({
  name: z.string(),
  version: z.string(),
  label: z.string(),
  category: z.string(),
  /** The credential type the node's `credentialId` must be (null: none needed). */
  credential: z.object({ type: z.string(), label: z.string(), fields: z.array(z.string()), secretFields: z.array(z.string()) }).nullable(),
});
export type NodeConnectorInfo = z.infer<typeof NodeConnectorInfo>;

/**
 * An event-source trigger: a connector's trigger (`postgres.newRows@1`, pinned major), its credential and params.
 * Each event becomes one run, exactly once (the idempotency key is the source's message id or offset).
 */
export const EventSourceConfig = z.strictObject({
  source: z.string().regex(/^[a-z][a-z0-9-]{0,39}\.[A-Za-z][A-Za-z0-9_-]{0,39}@\d+$/, 'connector.trigger@major, e.g. postgres.newRows@1'),
  credentialId: Id.optional(),
  /** The trigger's parameters (checked against its schema when the listener opens it). @default {} */
  params: JsonObject.default({}),
  /** Events in flight at once (recorded-but-not-acked); back-pressure beyond that. @default 16 */
  capacity: z.number().int().min(1).max(1000).default(16),
});
export type EventSourceConfig = z.infer<typeof EventSourceConfig>;
