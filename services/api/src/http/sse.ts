/** A Server-Sent Events response: framed events, comment heartbeats, cleanup on disconnect. */
import type { Request, Response } from 'express';

export interface SseStream {
  send(event: string, data: unknown): void;
  /** Ends the stream (idempotent). */
  close(): void;
  readonly closed: boolean;
  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
}

export function openSse(req: Request, res: Response, heartbeatMs: number, onHeartbeat?: () => void): SseStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 3000\n\n');
  let seq = 0;
  let closed = false;
  const closers: Array<() => void> = [];
  const timer = setInterval(() => {
    if (closed) return;
    res.write(': heartbeat\n\n');
    onHeartbeat?.();
  }, heartbeatMs);
  timer.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const fn of closers.splice(0)) fn();
  };
  req.on('close', finish);
  res.on('close', finish);
  return {
    send(event, data) {
      if (closed) return;
      seq += 1;
      res.write(`id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
}
