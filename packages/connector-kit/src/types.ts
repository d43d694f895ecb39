/**
 * The shapes a connector declares (credential types, actions, triggers) and the context each gets at run time.
 * Everything a connector touches comes through these contexts: it never sees the store, the queue or the engine.
 */
import type { z } from 'zod';
import type { HttpClient, NodeLogger } from '@outrun/engine';
import type { JsonValue } from '@outrun/schemas';
import type { RateLimiter } from './rate-limit';

/** The editor's connector categories (the catalog view groups by these). */
export type ConnectorCategory = 'database' | 'messaging' | 'communication' | 'developer' | 'other';

/** A kind of credential a connector needs: its fields (zod), which of them are secret, and how to test one. */
export interface CredentialTypeDefinition<S extends z.ZodType = z.ZodType> {
  label: string;
  /** The credential's `data` is parsed with this schema inside the step (never earlier, never logged). */
  schema: S;
  /** Fields whose values are secrets: redacted from logs and errors. */
  secretFields: readonly string[];
  /** Tries the credential against the service (connect, authenticate, ping); throws a readable error when it fails. */
  test?: (credential: z.infer<S>, ctx: { signal: AbortSignal; http?: HttpClient }) => Promise<void>;
  /** The hosts the driver will connect to: each is checked with the outbound policy before connecting. */
  hosts?: (credential: z.infer<S>) => Array<{ host: string; port: number }>;
  /** Requests per second each credential may make (per process); absent = unlimited. */
  rateLimit?: { rps: number; burst: number };
}

/** What an action's `run` gets: params already parsed, the credential decrypted for this step only. */
export interface ActionContext<P, C> {
  params: P;
  /** The decrypted, schema-checked credential (undefined for actions that need none). */
  credential: C;
  /** The step's input (the previous node's output). */
  input: JsonValue;
  /** Aborted when the run is cancelled or times out: pass it to every driver call that takes one. */
  signal: AbortSignal;
  /** Logs with the credential's secret values replaced by `[redacted]`. */
  log: NodeLogger;
  /** Stable per run + node + attempt: send it as the service's idempotency key where it has one. */
  idempotencyKey: string;
  /** The SSRF-guarded HTTP client (every redirect and resolved address checked). */
  http: HttpClient;
  /** Waits for this credential's rate-limit token (called by the kit before `run`; call again per extra request). */
  rateLimit: RateLimiter['take'];
  runId: string;
  workspaceId: string;
}

export interface ActionDefinition<S extends z.ZodType = z.ZodType, CS extends z.ZodType = z.ZodType> {
  label: string;
  description: string;
  /** Parameters: the editor's form is generated from this schema exactly like a built-in node's. */
  params: S;
  /** The credential type this action needs (one of the connector's `credentials`, by identity). */
  credential?: CredentialTypeDefinition<CS>;
  /** Icon name from the web app's set. @default the connector's icon */
  icon?: string;
  run(ctx: ActionContext<z.infer<S>, z.infer<CS>>): Promise<JsonValue>;
}

/** One event a source hands to the listener. `id` must be stable across redelivery: it becomes the run's idempotency key. */
export interface SourceEvent {
  id: string;
  payload: JsonValue;
}

/** What a trigger's `open` gets. */
export interface SourceContext<P, C> {
  params: P;
  credential: C;
  /** Aborted when the trigger is paused, removed or the listener stops. */
  signal: AbortSignal;
  log: NodeLogger;
  /**
   * Hands one event over; resolves once its run is durably recorded and queued (ack the message then), rejects
   * when it could not be (nack / do not advance). Waits while `capacity` events are already in flight.
   */
  deliver(event: SourceEvent): Promise<void>;
  /** How many events may be in flight at once (RabbitMQ prefetch, Redis COUNT, poll batch size). */
  capacity: number;
  /** A durable position for sources that keep their own cursor (polling): saved by the listener's store. */
  cursor: { get(): Promise<string | null>; set(position: string): Promise<void> };
  /** A stable id for this trigger (consumer group member, durable name, MQTT client id). */
  consumerName: string;
  /** Records a failure the source recovers from by itself (lost connection): the trigger's statistics show it. */
  reportError(err: unknown): void;
  /** The connection is gone for good: the listener closes this source and opens it again (with backoff). */
  reconnect(err: unknown): void;
}

/** A running source; `close` stops consuming (in-flight deliveries finish or are redelivered later). */
export interface SourceHandle {
  close(): Promise<void>;
}

export interface TriggerDefinition<S extends z.ZodType = z.ZodType, CS extends z.ZodType = z.ZodType> {
  label: string;
  description: string;
  params: S;
  credential?: CredentialTypeDefinition<CS>;
  /** Starts consuming. Throwing (or rejecting) makes the listener retry with backoff and report the error. */
  open(ctx: SourceContext<z.infer<S>, z.infer<CS>>): Promise<SourceHandle>;
}

export interface ConnectorDefinition {
  /** Lower-case name, also the node type prefix: `postgres` → `postgres.query@1`. */
  name: string;
  /** Semantic version; workflows pin the major (`@1`). */
  version: string;
  label: string;
  description: string;
  category: ConnectorCategory;
  icon: string;
  credentials: Record<string, CredentialTypeDefinition>;
  actions: Record<string, ActionDefinition>;
  triggers: Record<string, TriggerDefinition>;
}
