/**
 * A real `node:http` server on 127.0.0.1:<random port> that records every request, for tests that
 * need something to call: webhook receivers, slow or failing APIs, redirect chains, concurrency checks.
 *
 * ```ts
 * const sink = await startHttpSink({ status: 202, delayMs: 50 });
 * await fetch(`${sink.url}/hook`, { method: 'POST', body: '{}' });
 * await sink.waitForRequests(1);
 * expect(sink.requests[0]?.method).toBe('POST');
 * expect(sink.maxInFlight).toBe(1);
 * await sink.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the sink received it. */
export interface SinkRequest {
  method: string;
  /** Path and query, e.g. `/hook?x=1`. */
  url: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text (`''` when none). */
  body: string;
  /** Epoch ms when the request's body was fully read. */
  receivedAt: number;
}

/** What to answer; a non-string `body` is sent as JSON. */
export interface SinkResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export interface HttpSinkOptions {
  /** Status of every answer (when `respond` is not given). @default 200 */
  status?: number | ((req: SinkRequest) => number);
  /** Wait this long before answering (per request; a function may vary it). @default 0 */
  delayMs?: number | ((req: SinkRequest) => number);
  /** Full control of the answer; wins over `status`. May be async. @default `{status, body: {ok: true}}` */
  respond?: (req: SinkRequest) => SinkResponse | Promise<SinkResponse>;
}

export interface HttpSink {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: SinkRequest[];
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** The most requests that were in flight at the same time. */
  readonly maxInFlight: number;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs` (@default 5000). */
  waitForRequests(count: number, timeoutMs?: number): Promise<SinkRequest[]>;
  /** Forgets recorded requests and resets `maxInFlight`. */
  reset(): void;
  /** Stops listening and drops open connections (pending delayed answers are abandoned). */
  close(): Promise<void>;
}

const valueOf = <T>(option: T | ((req: SinkRequest) => T) | undefined, req: SinkRequest, fallback: T): T =>
  option === undefined ? fallback : typeof option === 'function' ? (option as (r: SinkRequest) => T)(req) : option;

function send(res: ServerResponse, answer: SinkResponse): void {
  const isText = typeof answer.body === 'string' || answer.body === undefined;
  const payload = answer.body === undefined ? '' : isText ? String(answer.body) : JSON.stringify(answer.body);
  const headers: Record<string, string | string[]> = { ...(isText ? {} : { 'content-type': 'application/json' }), ...answer.headers };
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** Starts a sink; always `close()` it (e.g. in `afterEach`). */
export async function startHttpSink(options: HttpSinkOptions = {}): Promise<HttpSink> {
  let requests: SinkRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: SinkRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      for (const wake of waiters) wake();
      const answer = async () => {
        const response = options.respond
          ? await options.respond(recorded)
          : { status: valueOf(options.status, recorded, 200), body: { ok: true } };
        if (!res.destroyed) send(res, response);
      };
      const delay = valueOf(options.delayMs, recorded, 0);
      const run = () => answer().catch((error: unknown) => send(res, { status: 500, body: { error: String(error) } }));
      if (delay <= 0) {
        void run();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        void run();
      }, delay);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    waitForRequests(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          cleanup();
          resolve(requests);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`http sink: expected ${count} requests within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    reset() {
      requests = [];
      maxInFlight = inFlight;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
