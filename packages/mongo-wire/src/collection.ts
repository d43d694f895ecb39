import type { Document } from 'bson';
import { Query } from 'mingo';
import type { ChangeLog } from './change-log';
import { CommandError, MAX_BSON_OBJECT_SIZE } from './command-error';
import { bsonSize, valueAtPath, valueKey } from './documents';

/** An index as createIndexes received it. Only `unique`, `partialFilterExpression` and TTL change behaviour. */
export interface IndexSpec {
  key: Document;
  name: string;
  unique?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

interface IndexState {
  spec: IndexSpec;
  partial?: Query;
  /** Unique indexes: entry key → document key. */
  entries?: Map<string, string>;
}

/** One collection in memory: documents by `_id`, unique indexes enforced, every write appended to the change log. */
export class CollectionState {
  readonly docs = new Map<string, Document>();
  private readonly indexes: IndexState[] = [];

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document,
    private readonly log: ChangeLog,
  ) {
    this.addIndex({ key: { _id: 1 }, name: '_id_', unique: true });
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get preImages(): boolean {
    return (this.options.changeStreamPreAndPostImages as { enabled?: boolean } | undefined)?.enabled === true;
  }

  indexSpecs(): IndexSpec[] {
    return this.indexes.map((i) => ({ v: 2, ...i.spec }));
  }

  /** Adds an index (an existing name is kept as it is); fails with 11000 when existing documents collide. */
  addIndex(spec: IndexSpec): boolean {
    if (this.indexes.some((i) => i.spec.name === spec.name)) return false;
    const state: IndexState = { spec, ...(spec.partialFilterExpression ? { partial: new Query(spec.partialFilterExpression) } : {}) };
    if (spec.unique) {
      state.entries = new Map();
      for (const [id, doc] of this.docs) {
        const entry = this.entryKey(state, doc);
        if (entry === null) continue;
        if (state.entries.has(entry)) throw this.duplicate(state, doc);
        state.entries.set(entry, id);
      }
    }
    this.indexes.push(state);
    return true;
  }

  /** Documents matching `filter`, in insertion order (not copies: callers clone what they hand out). */
  *matching(filter: Document): Generator<Document> {
    const id = filter._id;
    if (id !== undefined && (id === null || typeof id !== 'object' || !Object.keys(id as Document).some((k) => k.startsWith('$')))) {
      const doc = this.docs.get(valueKey(id));
      if (doc && (Object.keys(filter).length === 1 || new Query(filter).test(doc))) yield doc;
      return;
    }
    const query = new Query(filter);
    for (const doc of this.docs.values()) if (query.test(doc)) yield doc;
  }

  insert(doc: Document): void {
    this.checkSize(doc, 'insert');
    const id = valueKey(doc._id);
    // Stored documents are never mutated (updates work on copies), so they are kept as received.
    const stored = doc;
    if (this.docs.has(id)) throw this.duplicate(this.indexes[0] as IndexState, stored);
    this.claimEntries(stored, id, null);
    this.docs.set(id, stored);
    this.log.append({ operationType: 'insert', db: this.db, coll: this.name, documentKey: { _id: stored._id }, ...this.images(stored, undefined) });
  }

  /** Replaces a stored document with `next` (same `_id`). */
  replace(current: Document, next: Document, operationType: 'update' | 'replace', updateDescription?: Document): void {
    this.checkSize(next, 'update');
    const id = valueKey(current._id);
    if (valueKey(next._id) !== id) throw new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    const stored = next;
    this.claimEntries(stored, id, current);
    this.docs.set(id, stored);
    this.log.append({ operationType, db: this.db, coll: this.name, documentKey: { _id: stored._id }, ...this.images(stored, current), ...(updateDescription ? { updateDescription } : {}) });
  }

  remove(doc: Document): void {
    const id = valueKey(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes) {
      const entry = index.entries ? this.entryKey(index, doc) : null;
      if (entry !== null && index.entries?.get(entry) === id) index.entries.delete(entry);
    }
    this.log.append({ operationType: 'delete', db: this.db, coll: this.name, documentKey: { _id: doc._id }, ...this.images(undefined, doc) });
  }

  /** Removes documents whose TTL index date is older than `now`. */
  expire(now: number): number {
    let removed = 0;
    for (const index of this.indexes) {
      const ttl = index.spec.expireAfterSeconds;
      const field = Object.keys(index.spec.key)[0];
      if (typeof ttl !== 'number' || field === undefined) continue;
      for (const doc of [...this.docs.values()]) {
        const value = valueAtPath(doc, field);
        if (value instanceof Date && value.getTime() + ttl * 1000 <= now) {
          this.remove(doc);
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * Images the change log keeps: both for collections with pre- and post-images enabled; none for others (their
   * change events look the document up when read, as `updateLookup` does), so big documents are not retained.
   */
  private images(after: Document | undefined, before: Document | undefined): { after?: Document; before?: Document } {
    if (!this.preImages) return {};
    return { ...(after ? { after } : {}), ...(before ? { before } : {}) };
  }

  private checkSize(doc: Document, what: 'insert' | 'update'): void {
    const size = bsonSize(doc);
    if (size <= MAX_BSON_OBJECT_SIZE) return;
    if (what === 'insert') throw new CommandError(10334, 'BSONObjectTooLarge', `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`);
    throw new CommandError(17419, 'Location17419', `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  }

  /** Checks every unique index first, then moves the entries from `previous` (if any) to `doc`. */
  private claimEntries(doc: Document, id: string, previous: Document | null): void {
    const moves: Array<{ index: IndexState; entry: string | null; old: string | null }> = [];
    for (const index of this.indexes) {
      if (!index.entries) continue;
      const entry = this.entryKey(index, doc);
      const old = previous ? this.entryKey(index, previous) : null;
      if (entry !== null) {
        const holder = index.entries.get(entry);
        if (holder !== undefined && holder !== id) throw this.duplicate(index, doc);
      }
      moves.push({ index, entry, old });
    }
    for (const { index, entry, old } of moves) {
      if (old !== null && index.entries?.get(old) === id) index.entries.delete(old);
      if (entry !== null) index.entries?.set(entry, id);
    }
  }

  private entryKey(index: IndexState, doc: Document): string | null {
    if (index.partial && !index.partial.test(doc)) return null;
    return valueKey(Object.keys(index.spec.key).map((path) => valueAtPath(doc, path) ?? null));
  }

  private duplicate(index: IndexState, doc: Document): CommandError {
    const keyValue: Document = {};
    for (const path of Object.keys(index.spec.key)) keyValue[path] = valueAtPath(doc, path) ?? null;
    const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
    return new CommandError(11000, 'DuplicateKey', `E11000 duplicate key error collection: ${this.ns} index: ${index.spec.name} dup key: { ${shown} }`, {
      keyPattern: index.spec.key,
      keyValue,
    });
  }
}
