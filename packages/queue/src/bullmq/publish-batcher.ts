/**
 * Coalesces the messages published on one channel within one event-loop turn into one Redis `PUBLISH`. A runner
 * publishes each step and status event on the run's and the workspace's channel; under load many runs of a
 * workspace finish steps in the same turn (one group commit), so the workspace channel takes one command per turn
 * instead of one per event, and a step that starts and finishes in one tick costs one publish per channel.
 * Order within a channel is kept (one connection, batches in turn order); nothing waits longer than the turn.
 */

/** A batch on the wire: this mark, then a JSON array. Valid JSON never starts with it, so one message stays plain. */
const BATCH_MARK = '\u001e';
/** Bound of one PUBLISH (a huge turn is split, not sent as one unbounded string). */
const MAX_BATCH = 500;

export const encodeMessages = (messages: string[]): string => (messages.length === 1 ? messages[0]! : `${BATCH_MARK}[${messages.join(',')}]`);

/** The messages of one received payload; `undefined` when it is not valid JSON (dropped, as before). */
export function decodeMessages(raw: string): unknown[] | undefined {
  try {
    if (!raw.startsWith(BATCH_MARK)) return [JSON.parse(raw)];
    const list: unknown = JSON.parse(raw.slice(BATCH_MARK.length));
    return Array.isArray(list) ? list : undefined;
  } catch {
    return undefined;
  }
}

interface Pending {
  messages: string[];
  /** One promise per channel and turn, shared by its publishers (no promise per message). */
  sent: Promise<void>;
  settle(err?: unknown): void;
}

export interface PublishBatcher {
  /** Queues `raw` (JSON) for `channel`; resolves once the PUBLISH that carries it answered. */
  publish(channel: string, raw: string): Promise<void>;
  /** Sends what is queued now (before closing the connection). */
  flush(): Promise<void>;
}

export function createPublishBatcher(send: (channel: string, payload: string) => Promise<unknown>): PublishBatcher {
  let pending = new Map<string, Pending>();
  let scheduled: NodeJS.Immediate | undefined;

  const open = (): Pending => {
    let settle!: Pending['settle'];
    const sent = new Promise<void>((resolve, reject) => (settle = (err) => (err === undefined ? resolve() : reject(err))));
    sent.catch(() => undefined); // a publisher that does not await must not raise an unhandled rejection
    return { messages: [], sent, settle };
  };

  const flush = async () => {
    clearImmediate(scheduled);
    scheduled = undefined;
    const batch = pending;
    pending = new Map();
    const sends: Promise<void>[] = [];
    for (const [channel, { messages, settle }] of batch) {
      const parts: Promise<unknown>[] = [];
      for (let i = 0; i < messages.length; i += MAX_BATCH) parts.push(send(channel, encodeMessages(messages.slice(i, i + MAX_BATCH))));
      sends.push(Promise.all(parts).then(() => settle(), (err: unknown) => settle(err ?? new Error('publish failed'))));
    }
    await Promise.all(sends);
  };

  return {
    publish(channel, raw) {
      let entry = pending.get(channel);
      if (!entry) pending.set(channel, (entry = open()));
      entry.messages.push(raw);
      scheduled ??= setImmediate(() => void flush());
      return entry.sent;
    },
    flush,
  };
}
