import type { IncomingMessage, ServerResponse } from 'node:http';
import { BACKLOG_FULL_MESSAGE, ErrorCode, httpErrorOf, OperationalError, type Run } from '@outrun/schemas';
import { runIdempotencyKey, waitForRun, type EventBus, type RunLifecycle } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { Clock } from '@outrun/engine';
import type { Logger } from '@outrun/config';
import { sendError, sendJson } from '../http/respond';
import type { TriggerIndex, WebhookEntry } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { deliveryId } from './delivery-id';
import { parseBody, parseQuery, readBody } from './read-body';
import type { SecretCache } from './secret-cache';
import type { WebhookRateLimiter } from '../limits/webhook-rate-limit';
import type { BacklogGuard } from '../limits/backlog-guard';
import { verifyWebhookAuth, type AuthResult } from './verify-webhook-auth';

/** Everything the webhook path needs, built once by `createListener`. */
export interface WebhookContext {
  index: TriggerIndex;
  store: Store;
  /** Accepts each event as a run. */
  lifecycle: RunLifecycle;
  /** Only listened to (a synchronous webhook waits for its run). */
  events: EventBus;
  clock: Clock;
  secrets: SecretCache;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /** Prefix of `statusUrl` (the gateway's public URL). @default "" (a path) */
  publicBaseUrl: string;
  /** Per-trigger and per-workspace token buckets (`limits/webhook-rate-limit.ts`). */
  rateLimiter: WebhookRateLimiter;
  /** Refuses webhooks (503) while the run backlog is at its high-water mark (`limits/backlog-guard.ts`). */
  backlog?: BacklogGuard | undefined;
  /** Outcome counter for /metrics. */
  countOutcome(outcome: string): void;
  /** Bearer token for `/metrics`; undefined = loopback peers only. */
  metricsToken: string | undefined;
}


const headerOf = (req: IncomingMessage) => (name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function authenticate(ctx: WebhookContext, entry: WebhookEntry, req: IncomingMessage, rawBody: Buffer): Promise<AuthResult> {
  const auth = entry.config.auth;
  const request = { header: headerOf(req), rawBody, nowMs: ctx.clock.now() };
  if (auth.type === 'none') return { ok: true };
  if (!auth.credentialId) return verifyWebhookAuth(auth, [], request);
  const secrets = await ctx.secrets.get(entry.workspaceId, auth.credentialId);
  const result = verifyWebhookAuth(auth, secrets, request);
  // A just-rotated secret: refetch once before refusing.
  if (!result.ok && ctx.secrets.isStale(entry.workspaceId, auth.credentialId)) {
    return verifyWebhookAuth(auth, await ctx.secrets.load(entry.workspaceId, auth.credentialId), request);
  }
  return result;
}

function selectedHeaders(entry: WebhookEntry, req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const header = headerOf(req);
  for (const name of entry.config.includeHeaders) {
    const value = header(name.toLowerCase());
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/** Sends a sync-mode answer from a terminal run: its `response`, else the last output. */
function sendRunResult(res: ServerResponse, run: Run): void {
  if (run.status !== 'completed') {
    sendJson(res, 500, { error: { code: run.error?.code ?? ErrorCode.NODE_FAILED, message: run.error?.message ?? `The run ${run.status}.` }, runId: run.id });
    return;
  }
  const response = run.response;
  if (!response) return sendJson(res, 200, run.output ?? null);
  const headers = { ...response.headers };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (typeof response.body === 'string') {
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8';
    res.writeHead(response.status, headers);
    res.end(response.body);
    return;
  }
  const text = response.body === undefined ? '' : JSON.stringify(response.body);
  if (!hasType && text !== '') headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(response.status, headers);
  res.end(text);
}

function sendStartFailure(ctx: WebhookContext, res: ServerResponse, entry: WebhookEntry, error: unknown): void {
  const at = new Date(ctx.clock.now()).toISOString();
  const answer = httpErrorOf(error, { unavailable: () => 'A dependency is unavailable; the event was not accepted. Retry later.', unexpected: 'The event was not accepted.' });
  if (answer.kind === 'unavailable') {
    const { code, message } = error as OperationalError;
    ctx.stats.error(entry.workspaceId, entry.triggerId, { code, message, at });
    ctx.countOutcome('unavailable');
    return sendJson(res, 503, answer.body, { 'retry-after': '1' });
  }
  if (answer.kind === 'unexpected') {
    ctx.logger.error({ err: error, triggerId: entry.triggerId }, 'webhook run start failed');
    ctx.countOutcome('error');
  }
  sendJson(res, answer.status, answer.body);
}

/**
 * The webhook hot path: trigger lookup (in memory), method, rate limit, body, auth, idempotency, then one
 * durable run + job. No store read except `createRun` (secrets are cached).
 */
export async function handleWebhook(ctx: WebhookContext, req: IncomingMessage, res: ServerResponse, workspaceId: string, triggerId: string, search: string): Promise<void> {
  const entry = ctx.index.webhook(workspaceId, triggerId);
  if (!entry) {
    req.resume();
    return sendError(res, 404, ErrorCode.NOT_FOUND, 'No active webhook trigger here.');
  }
  const method = req.method ?? 'GET';
  if (!entry.methods.has(method)) {
    req.resume();
    return sendError(res, 405, ErrorCode.METHOD_NOT_ALLOWED, `${method} is not accepted by this trigger.`, { allow: [...entry.methods].join(', ') });
  }
  const backlog = ctx.backlog;
  if (!backlog) return admitted(ctx, req, res, entry, method, search, { created: false });
  if (!backlog.tryAdmit()) {
    // Before the rate limit (no token spent) and before the body is read: a refusal costs next to nothing.
    req.resume();
    ctx.countOutcome('backlog_full');
    return sendError(res, 503, ErrorCode.BACKLOG_FULL, BACKLOG_FULL_MESSAGE, { 'retry-after': String(backlog.retryAfterSeconds()) });
  }
  // Admitted: counted in the backlog until it turns out to create no run (refused, duplicate, failed).
  const ticket = { created: false };
  try {
    await admitted(ctx, req, res, entry, method, search, ticket);
  } finally {
    if (!ticket.created) backlog.release();
  }
}

/**
 * The backlog refusal for a gateway to give before its own middleware (`services/api/src/http/webhook-gate.ts`):
 * while the backlog is at its mark, counts the refusal and says when to retry; null = let the webhook in.
 */
export function webhookRefusal(ctx: WebhookContext): { retryAfterSeconds: number } | null {
  if (!ctx.backlog?.full()) return null;
  ctx.countOutcome('backlog_full');
  return { retryAfterSeconds: ctx.backlog.retryAfterSeconds() };
}

/** The webhook past the overload guard; sets `ticket.created` when it recorded a new run. */
async function admitted(ctx: WebhookContext, req: IncomingMessage, res: ServerResponse, entry: WebhookEntry, method: string, search: string, ticket: { created: boolean }): Promise<void> {
  const { workspaceId, triggerId } = entry;
  const now = ctx.clock.now();
  const { waitMs: wait, scope } = ctx.rateLimiter.take(entry, now);
  if (wait > 0) {
    req.resume();
    ctx.stats.count(workspaceId, triggerId, 'rateLimited');
    ctx.countOutcome('rate_limited');
    return sendError(res, 429, ErrorCode.RATE_LIMITED, `Too many requests for this ${scope ?? 'trigger'}.`, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
  }
  const read = await readBody(req, entry.config.maxBodyBytes);
  if (!read.ok) {
    ctx.countOutcome('too_large');
    return sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, `The body exceeds ${entry.config.maxBodyBytes} bytes.`, { connection: 'close' });
  }
  let auth: AuthResult;
  try {
    auth = await authenticate(ctx, entry, req, read.body);
  } catch (error) {
    return sendStartFailure(ctx, res, entry, error instanceof OperationalError ? error : new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'Secrets unavailable.', { cause: error }));
  }
  if (!auth.ok) {
    ctx.stats.count(workspaceId, triggerId, 'authFailures');
    ctx.stats.error(workspaceId, triggerId, { code: auth.code, message: auth.message, at: new Date(now).toISOString() });
    ctx.countOutcome('auth_failed');
    return sendError(res, 401, auth.code, auth.message);
  }
  const parsed = parseBody(req.headers['content-type'], read.body);
  if (!parsed.ok) {
    ctx.countOutcome('bad_request');
    return sendError(res, 400, parsed.code, parsed.message);
  }
  const header = headerOf(req);
  const id = deliveryId(entry.config.auth, header, read.body, parsed.value);
  const payload = { body: parsed.value, query: parseQuery(search), headers: selectedHeaders(entry, req), method };
  let result: Awaited<ReturnType<RunLifecycle['accept']>>;
  try {
    // Announced on the workspace channel only, without waiting (see Audience).
    result = await ctx.lifecycle.accept(workspaceId, {
      workflowId: entry.workflowId,
      workflowVersion: entry.workflowVersion,
      triggeredBy: { type: 'webhook', source: entry.source, triggerId, payload },
      ...(id === undefined ? {} : { idempotencyKey: runIdempotencyKey('webhook', triggerId, id) }),
    }, { announce: 'workspace' });
  } catch (error) {
    return sendStartFailure(ctx, res, entry, error);
  }
  const at = new Date(now).toISOString();
  ticket.created = result.created;
  if (result.created) {
    ctx.stats.count(workspaceId, triggerId, 'fires', at);
    ctx.stats.count(workspaceId, triggerId, 'runsStarted');
  } else {
    ctx.stats.count(workspaceId, triggerId, 'duplicatesDropped');
  }
  ctx.countOutcome(result.created ? 'accepted' : 'duplicate');
  const runId = result.run.id;
  const accepted = { runId, statusUrl: `${ctx.publicBaseUrl}/api/workspaces/${workspaceId}/runs/${runId}` };
  const replayHeader = result.created ? undefined : { 'idempotent-replayed': 'true' };
  if (entry.config.responseMode === 'async') return sendJson(res, result.created ? 202 : 200, accepted, replayHeader);
  const run = await waitForRun({ runs: ctx.store.runs, events: ctx.events, workspaceId, runId, timeoutMs: entry.config.syncTimeoutMs }).catch((err: unknown) => {
    ctx.logger.warn({ err, runId }, 'sync webhook wait failed; answering 202');
    return null;
  });
  if (run) return sendRunResult(res, run);
  sendJson(res, 202, accepted, replayHeader);
}
