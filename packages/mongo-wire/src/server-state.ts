import type { Document } from 'bson';
import { ChangeLog } from './change-log';
import { CollectionState } from './collection';

/** A cursor the client pages through with getMore. */
export type CursorState =
  | { kind: 'documents'; ns: string; docs: Document[]; position: number }
  | { kind: 'changes'; ns: string; db: string; coll: string | null; afterSeq: number; pipeline: Document[]; options: Document; batchSize: number };

/** Everything the server holds: databases of collections, the change log, open cursors. */
export class ServerState {
  readonly databases = new Map<string, Map<string, CollectionState>>();
  readonly cursors = new Map<bigint, CursorState>();
  readonly log: ChangeLog;
  private nextCursorId = 1n;

  constructor(changeHistory: number) {
    this.log = new ChangeLog(changeHistory);
  }

  collection(db: string, name: string): CollectionState | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created (implicitly, as writes do) when missing. */
  ensureCollection(db: string, name: string, options: Document = {}): CollectionState {
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      this.databases.set(db, collections);
    }
    let collection = collections.get(name);
    if (!collection) {
      collection = new CollectionState(db, name, options, this.log);
      collections.set(name, collection);
    }
    return collection;
  }

  dropCollection(db: string, name: string): boolean {
    return this.databases.get(db)?.delete(name) ?? false;
  }

  openCursor(cursor: CursorState): bigint {
    const id = this.nextCursorId++;
    this.cursors.set(id, cursor);
    return id;
  }

  /** TTL monitor pass over every collection. */
  expire(now: number): number {
    let removed = 0;
    for (const collections of this.databases.values()) for (const c of collections.values()) removed += c.expire(now);
    return removed;
  }
}
