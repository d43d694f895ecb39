/**
 * One open event-source trigger. Each event the source hands over becomes a run through the lifecycle's `accept`
 * (the same contract as a webhook: recorded `queued` and enqueued, keyed by the source's message id so a
 * redelivered message is a no-op); `deliver` resolves only then, so the source acks only recorded events.
 * Back-pressure: at most `capacity` deliveries in flight, and none while this workflow already has
 * `maxQueuedRuns` runs waiting for a runner or the listener's backlog is at its mark.
 */
import { createHash } from 'node:crypto';
import { ErrorCode, type JsonValue } from '@outrun/schemas';
import type { Clock } from '@outrun/engine';
import type { RunLifecycle } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { Logger } from '@outrun/config';
import { checkCredentialHosts, parseCredential, type NetworkGuard, type ResolvedTrigger, type SourceEvent, type SourceHandle } from '@outrun/connector-kit';
import type { SourceEntry } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { Semaphore } from './semaphore';

export interface EventSourceRunnerDeps {
  store: Store;
  lifecycle: RunLifecycle;
  clock: Clock;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /** Queued runs of the workflow above which the source waits. @default 4 × capacity */
  maxQueuedRuns?: number;
  /** The listener's backlog mark (`limits/backlog-guard.ts`): past it a webhook is refused, an event waits. @default none */
  backlog?: { tryAdmit(): boolean; release(): void };
  /** Checks the hosts a source's credential names before it opens (OUT_ERR_SSRF_BLOCKED as the trigger's error). */
  networkGuard: NetworkGuard;
}

const MAX_BACKOFF_MS = 30_000;

/** The run idempotency key of one source event for one trigger. */
export const sourceIdempotencyKey = (triggerId: string, eventId: string): string => `source:${triggerId}:${eventId}`;

/** A changed source or params restarts the cursor (a different table is not "the same position"). */
export function sourceSignature(entry: SourceEntry): string {
  return createHash('sha256').update(JSON.stringify([entry.config.source, entry.config.params])).digest('hex').slice(0, 16);
}

export class EventSourceRunner {
  private readonly abort = new AbortController();
  private readonly slots: Semaphore;
  private handle: SourceHandle | undefined;
  private loop: Promise<void> | undefined;
  private lost: (() => void) | undefined;
  private sinceBackPressureCheck = 0;
  /**
   * The deliveries not yet settled: `close()` waits for them, so a run a delivery records while the listener stops
   * is counted in the trigger's stats before the listener's last stats flush (it was counted after it, and lost).
   */
  private readonly delivering = new Set<Promise<void>>();

  constructor(
    readonly entry: SourceEntry,
    private readonly resolved: ResolvedTrigger,
    private readonly deps: EventSourceRunnerDeps,
  ) {
    this.slots = new Semaphore(entry.config.capacity);
  }

  /** Identity of what runs: a new workflow version with the same source keeps running, anything else reopens. */
  get signature(): string {
    return `${sourceSignature(this.entry)}|${this.entry.config.credentialId ?? ''}|${this.entry.config.capacity}|${this.entry.workflowId}`;
  }

  /** Opens in the background, retrying with backoff until it opens or is closed. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Updates the pinned workflow version new runs use (an edit that left the source itself unchanged). */
  retarget(entry: SourceEntry): void {
    (this as { entry: SourceEntry }).entry = entry;
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.lost?.();
    await this.loop;
    await Promise.allSettled([...this.delivering]);
  }

  private track(delivery: Promise<void>): Promise<void> {
    this.delivering.add(delivery);
    delivery.then(
      () => this.delivering.delete(delivery),
      () => this.delivering.delete(delivery),
    );
    return delivery;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const sourceAbort = new AbortController();
      const stop = () => sourceAbort.abort();
      this.abort.signal.addEventListener('abort', stop, { once: true });
      try {
        const lostConnection = new Promise<void>((resolve) => (this.lost = resolve));
        this.handle = await this.open(sourceAbort.signal);
        failures = 0;
        this.deps.logger.info({ triggerId: this.entry.triggerId, source: this.entry.config.source }, 'event source opened');
        await lostConnection;
        sourceAbort.abort();
        await this.handle.close().catch((err: unknown) => this.deps.logger.warn({ err }, 'closing an event source failed'));
        this.handle = undefined;
      } catch (err) {
        sourceAbort.abort();
        if (this.abort.signal.aborted) break;
        failures++;
        this.reportError(err);
        await this.deps.clock.sleep(Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(failures, 8)), this.abort.signal).catch(() => undefined);
      } finally {
        this.abort.signal.removeEventListener('abort', stop);
      }
      if (!this.abort.signal.aborted) await this.deps.clock.sleep(200, this.abort.signal).catch(() => undefined);
    }
  }

  private async open(signal: AbortSignal): Promise<SourceHandle> {
    const { entry, resolved, deps } = this;
    const { trigger } = resolved;
    const label = `${entry.triggerId} (${entry.config.source})`;
    const params = trigger.params.safeParse(entry.config.params);
    if (!params.success) throw Object.assign(new Error(`${label}: invalid params: ${params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`), { code: ErrorCode.TRIGGER_INVALID });
    let credential: unknown;
    if (trigger.credential) {
      const data = entry.config.credentialId ? await deps.store.credentials.getSecret(entry.workspaceId, entry.config.credentialId) : null;
      if (!data) throw Object.assign(new Error(`${label}: credential ${entry.config.credentialId ?? '(none)'} does not exist`), { code: ErrorCode.CONNECTOR_CREDENTIAL });
      credential = parseCredential(data, trigger.credential, label);
      await checkCredentialHosts(trigger.credential, credential, deps.networkGuard);
    }
    const cursorId = `source:${entry.workspaceId}/${entry.triggerId}:${sourceSignature(entry)}`;
    const log = deps.logger.child({ triggerId: entry.triggerId, source: entry.config.source });
    return trigger.open({
      params: params.data,
      credential,
      signal,
      capacity: entry.config.capacity,
      consumerName: `outrun-${entry.workspaceId}-${entry.triggerId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120),
      log: {
        debug: (msg, fields) => log.debug(fields ?? {}, msg),
        info: (msg, fields) => log.info(fields ?? {}, msg),
        warn: (msg, fields) => log.warn(fields ?? {}, msg),
        error: (msg, fields) => log.error(fields ?? {}, msg),
      },
      cursor: {
        get: () => deps.store.triggers.getFeedPosition(cursorId),
        set: (position) => deps.store.triggers.saveFeedPosition(cursorId, position),
      },
      deliver: (event) => this.track(this.deliver(event)),
      reportError: (err) => this.reportError(err),
      reconnect: (err) => {
        this.reportError(err);
        this.lost?.();
      },
    });
  }

  private async deliver(event: SourceEvent): Promise<void> {
    if (typeof event.id !== 'string' || event.id.length === 0 || event.id.length > 500) throw new Error('a source event needs an id of 1–500 characters');
    await this.slots.acquire();
    let admitted = false;
    let created = false;
    try {
      await this.waitForRunners();
      admitted = await this.admit();
      const { entry, deps } = this;
      ({ created } = await deps.lifecycle.accept(entry.workspaceId, {
        workflowId: entry.workflowId,
        workflowVersion: entry.workflowVersion,
        triggeredBy: { type: 'event_source', source: entry.config.source, triggerId: entry.triggerId, payload: { id: event.id, ...asObject(event.payload) } },
        idempotencyKey: sourceIdempotencyKey(entry.triggerId, event.id),
      }, { announce: 'workspace' }));
      const at = new Date(deps.clock.now()).toISOString();
      if (created) {
        deps.stats.count(entry.workspaceId, entry.triggerId, 'fires', at);
        deps.stats.count(entry.workspaceId, entry.triggerId, 'runsStarted');
      } else {
        deps.stats.count(entry.workspaceId, entry.triggerId, 'duplicatesDropped');
      }
    } finally {
      if (admitted && !created) this.deps.backlog?.release();
      this.slots.release();
    }
  }

  /**
   * Past the listener's backlog mark a webhook is refused; an event waits instead (unacknowledged: the source keeps
   * it), then counts in the backlog like an admitted webhook. @returns whether it was counted.
   */
  private async admit(): Promise<boolean> {
    const backlog = this.deps.backlog;
    if (!backlog) return false;
    for (let wait = 50; !backlog.tryAdmit(); wait = Math.min(wait * 2, 2000)) {
      if (this.abort.signal.aborted) throw new Error('event source closed');
      await this.deps.clock.sleep(wait, this.abort.signal).catch(() => undefined);
    }
    return true;
  }

  /** Every `capacity` deliveries, checks the workflow's queued runs; waits while runners are that far behind. */
  private async waitForRunners(): Promise<void> {
    const { entry, deps } = this;
    if (++this.sinceBackPressureCheck < entry.config.capacity) return;
    this.sinceBackPressureCheck = 0;
    const limit = deps.maxQueuedRuns ?? entry.config.capacity * 4;
    for (let wait = 50; !this.abort.signal.aborted; wait = Math.min(wait * 2, 2000)) {
      const page = await deps.store.runs.listRuns(entry.workspaceId, { workflowId: entry.workflowId, status: 'queued', limit });
      if (page.items.length < limit) return;
      await deps.clock.sleep(wait, this.abort.signal).catch(() => undefined);
    }
    throw new Error('event source closed');
  }

  private reportError(err: unknown): void {
    const { entry, deps } = this;
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.warn({ err: message, triggerId: entry.triggerId, source: entry.config.source }, 'event source error');
    deps.stats.error(entry.workspaceId, entry.triggerId, { code: typeof code === 'string' && code.startsWith('OUT_ERR_') ? code : ErrorCode.CONNECTOR_SOURCE, message: message.slice(0, 500), at: new Date(deps.clock.now()).toISOString() });
  }
}

const asObject = (payload: JsonValue): Record<string, JsonValue> =>
  payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : { value: payload };
