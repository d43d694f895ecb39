import { Timestamp, type Document } from 'bson';
import { CommandError } from './command-error';

/** One write as a change stream reports it (before the stream's options shape it). */
export interface ChangeEntry {
  seq: number;
  operationType: 'insert' | 'update' | 'replace' | 'delete';
  db: string;
  coll: string;
  documentKey: Document;
  /** Post-image (insert, update, replace). */
  after?: Document;
  /** Pre-image (update, replace, delete). */
  before?: Document;
  updateDescription?: Document;
  clusterTime: Timestamp;
  wallTime: Date;
}

/** Resume tokens are opaque to clients: 16 hex digits of the change's sequence number. */
export const resumeToken = (seq: number): Document => ({ _data: seq.toString(16).toUpperCase().padStart(16, '0') });

export function tokenSeq(token: unknown): number {
  const data = (token as { _data?: unknown } | null)?._data;
  if (typeof data !== 'string' || !/^[0-9A-F]{16}$/i.test(data)) throw new CommandError(9, 'FailedToParse', 'Invalid resume token: not one this server issued.');
  return Number.parseInt(data, 16);
}

export const historyLost = (): CommandError =>
  new CommandError(286, 'ChangeStreamHistoryLost', 'Resume of change stream was not possible, as the resume point may no longer be in the oplog.');

/**
 * The server's oplog, reduced to what change streams need: the last `capacity` writes in order, and waiters
 * woken on every append (awaiting getMore).
 */
export class ChangeLog {
  private entries: ChangeEntry[] = [];
  private nextSeq = 1;
  private waiters = new Set<() => void>();

  constructor(private capacity: number) {}

  /** Sequence of the newest change (0 before any). */
  get head(): number {
    return this.nextSeq - 1;
  }

  /** Sequence of the oldest change still kept. */
  get oldestKept(): number {
    return this.entries[0]?.seq ?? this.nextSeq;
  }

  append(entry: Omit<ChangeEntry, 'seq' | 'clusterTime' | 'wallTime'>): void {
    const seq = this.nextSeq++;
    const now = Date.now();
    this.entries.push({ ...entry, seq, clusterTime: new Timestamp({ t: Math.floor(now / 1000), i: seq }), wallTime: new Date(now) });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Changes after `seq`; fails with ChangeStreamHistoryLost when some of them were already dropped. */
  after(seq: number): ChangeEntry[] {
    if (seq < this.oldestKept - 1) throw historyLost();
    const start = this.entries.findIndex((e) => e.seq > seq);
    return start < 0 ? [] : this.entries.slice(start);
  }

  /** The sequence just before the first change at or after `time` (startAtOperationTime). */
  seqBefore(time: Timestamp): number {
    const first = this.entries.find((e) => e.clusterTime.t > time.t || (e.clusterTime.t === time.t && e.clusterTime.i >= time.i));
    return first ? first.seq - 1 : this.head;
  }

  /** Resolves on the next append or after `ms`. */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve();
      }, ms);
      this.waiters.add(wake);
    });
  }

  /** Drops every kept change (tests: the oplog window moved past a saved position). */
  forget(): void {
    this.entries = [];
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    if (this.entries.length > capacity) this.entries.splice(0, this.entries.length - capacity);
  }

  wakeAll(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}
