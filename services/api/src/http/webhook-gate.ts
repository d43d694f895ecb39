/**
 * The gateway's webhook refusal under overload (docs/performance.md#overload), answered before Express sees the
 * request: while runs back up, a flat-out client repeats its webhook at once, and each refusal that went through
 * Express's request set-up and middleware took CPU the runs needed. Here a refusal is a prefix test, one check and
 * a constant answer.
 *
 * A client that ignores `Retry-After` (asks again on the same connection before it passed) gets its next refusal
 * only after `holdMs`, so a loop stops spinning the CPU — or as soon as the refusal lifts (checked every
 * `recheckMs`), so that a held client comes back while the runs still have a backlog to work on instead of after
 * it ran dry. Held answers are bounded (`maxHeld`); past that the refusal is at once and closes the connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BACKLOG_FULL_MESSAGE, ErrorCode, errorBody, systemClock, type Clock } from '@outrun/schemas';

export interface WebhookRefusal {
  retryAfterSeconds: number;
}

/** Whether webhooks are refused now (the listener's backlog at its mark); null lets them through. */
export type WebhookRefusalCheck = () => WebhookRefusal | null;

export interface WebhookGateOptions {
  refusal: WebhookRefusalCheck;
  /** How long a refusal is held for a client that asked again before its Retry-After. @default 1000 */
  holdMs?: number;
  /** Refusals held at once, at most (each holds a socket and a timer). @default 256 */
  maxHeld?: number;
  /** While refusals are held, how often the refusal is checked again (held ones are answered once it lifts). @default 20 */
  recheckMs?: number;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
}

const BODY = JSON.stringify(errorBody(ErrorCode.BACKLOG_FULL, BACKLOG_FULL_MESSAGE));
const BODY_LENGTH = String(Buffer.byteLength(BODY));

/** @returns the gate: true when it answered the request (a refused webhook), false to hand it to the app. */
export function createWebhookGate(options: WebhookGateOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const holdMs = options.holdMs ?? 1000;
  const maxHeld = options.maxHeld ?? 256;
  const recheckMs = options.recheckMs ?? 20;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  /** When each connection was last answered a refusal (gone with the socket). */
  const refusedAt = new WeakMap<Socket, number>();
  /** The held refusals' release functions; a recheck timer runs only while there are any. */
  const held = new Set<() => void>();
  let recheck: NodeJS.Timeout | null = null;
  const startRecheck = () => {
    if (recheck) return;
    recheck = setInterval(() => {
      if (held.size > 0 && options.refusal() !== null) return;
      for (const release of [...held]) release();
      clearInterval(recheck!);
      recheck = null;
    }, recheckMs);
    recheck.unref();
  };

  const answer = (req: IncomingMessage, res: ServerResponse, refusal: WebhookRefusal, close: boolean) => {
    refusedAt.set(req.socket, now());
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'content-length': BODY_LENGTH, 'retry-after': String(refusal.retryAfterSeconds) };
    if (close) headers.connection = 'close';
    res.writeHead(503, headers);
    res.end(BODY);
  };

  return (req, res) => {
    if (!req.url?.startsWith('/webhook/')) return false;
    const refusal = options.refusal();
    if (!refusal) return false;
    req.resume(); // the body is not read: drained so the connection can carry the next request
    const last = refusedAt.get(req.socket);
    const ignoredRetryAfter = last !== undefined && now() - last < refusal.retryAfterSeconds * 1000;
    if (!ignoredRetryAfter) {
      answer(req, res, refusal, false);
      return true;
    }
    if (held.size >= maxHeld) {
      answer(req, res, refusal, true);
      return true;
    }
    const release = () => {
      if (!held.delete(release)) return;
      clearTimeout(timer);
      if (!res.destroyed && !res.writableEnded) answer(req, res, refusal, false);
    };
    held.add(release);
    const timer = setTimeout(release, holdMs);
    res.once('close', release); // the client gave up: its place is free at once
    startRecheck();
    return true;
  };
}

/**
 * A forwarding gateway learns the listener's refusal from its answers: after a 503 OUT_ERR_BACKLOG_FULL it refuses
 * webhooks itself for `forMs` (about the listener's own sampling period), then forwards again to see.
 */
export function createRefusalMemory(forMs = 250, clock: Pick<Clock, 'now'> = systemClock): { observe(retryAfterSeconds: number): void; refusal: WebhookRefusalCheck } {
  let until = -Infinity;
  let retryAfterSeconds = 1;
  return {
    observe(seconds) {
      until = clock.now() + forMs;
      retryAfterSeconds = Number.isFinite(seconds) && seconds >= 1 ? Math.min(30, Math.round(seconds)) : 1;
    },
    refusal: () => (clock.now() < until ? { retryAfterSeconds } : null),
  };
}
