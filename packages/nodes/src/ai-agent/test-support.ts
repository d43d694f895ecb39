/**
 * Test support for the ai-agent suites: an outbound-connection watcher (proves nothing but the expected
 * servers is contacted), a clock whose timers fire only when the test says so, and the seed's lead
 * classification parameters. Not exported from the package.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Clock } from '@outrun/engine';

/** Every outbound connection attempted while watching, as `host:port`. */
export interface ConnectionWatch {
  readonly attempts: string[];
  stop(): void;
}

interface UndiciConnect {
  connectParams: { hostname: string; port: string | number; protocol: string };
}

/** Watches fetch (undici) connection attempts and raw TCP client sockets. */
export function watchOutboundConnections(): ConnectionWatch {
  const attempts: string[] = [];
  const onUndici = (message: unknown) => {
    const { hostname, port, protocol } = (message as UndiciConnect).connectParams;
    attempts.push(`${hostname}:${port === '' ? (protocol === 'https:' ? 443 : 80) : port}`);
  };
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    socket.once('connect', () => attempts.push(`${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`));
  };
  subscribe('undici:client:beforeConnect', onUndici);
  subscribe('net.client.socket', onSocket);
  return {
    attempts,
    stop() {
      unsubscribe('undici:client:beforeConnect', onUndici);
      unsubscribe('net.client.socket', onSocket);
    },
  };
}

/** A clock whose `sleep`s resolve only on `fireAll()` (or reject on abort), so a timeout fires exactly when a test wants. */
export interface GateClock extends Clock {
  readonly pending: number;
  fireAll(): void;
}

export function createGateClock(): GateClock {
  const waiting = new Set<() => void>();
  return {
    now: () => Date.now(),
    get pending() {
      return waiting.size;
    },
    fireAll() {
      for (const fire of [...waiting]) fire();
    },
    sleep(_ms, signal) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          waiting.delete(done);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          waiting.delete(done);
          reject(signal?.reason as Error);
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.add(done);
      });
    },
  };
}

/** The seed's classification schema: `{classification: enum, confidence: number}`. */
export const LEAD_SCHEMA = {
  type: 'object',
  properties: {
    classification: { type: 'string', enum: ['hot_lead', 'warm_lead', 'cold_lead'] },
    confidence: { type: 'number' },
  },
  required: ['classification', 'confidence'],
  additionalProperties: false,
};

/** The seed's lead classification node data. */
export const leadParams = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  instructions: 'Classify the sales lead as hot_lead, warm_lead or cold_lead with a confidence between 0 and 1.',
  input: 'John Doe from Acme Corp',
  outputSchema: LEAD_SCHEMA,
  ...extra,
});

/** Polls `check` (after `refresh`, if given) until it holds: waiting for an event with a deadline, never a fixed sleep. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh?.();
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
