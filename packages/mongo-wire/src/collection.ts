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
        for (const [entry, values] of this.entryKeys(state, doc)) {
          if (state.entries.has(entry)) throw this.duplicate(state, values);
          state.entries.set(entry, id);
        }
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
      if (!index.entries) continue;
      for (const entry of this.entryKeys(index, doc).keys()) if (index.entries.get(entry) === id) index.entries.delete(entry);
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
    const moves: Array<{ index: IndexState; entries: Iterable<string>; old: Iterable<string> }> = [];
    for (const index of this.indexes) {
      if (!index.entries) continue;
      const entries = this.entryKeys(index, doc);
      for (const [entry, values] of entries) {
        const holder = index.entries.get(entry);
        if (holder !== undefined && holder !== id) throw this.duplicate(index, values);
      }
      moves.push({ index, entries: entries.keys(), old: previous ? this.entryKeys(index, previous).keys() : [] });
    }
    for (const { index, entries, old } of moves) {
      for (const entry of old) if (index.entries?.get(entry) === id) index.entries.delete(entry);
      for (const entry of entries) index.entries?.set(entry, id);
    }
  }

  /**
   * The index keys of `doc` (none when a partial index skips it). Like MongoDB's multikey indexes, an array on a
   * key path gives one key per distinct element (an empty array one `undefined` key), so a unique index on an array
   * field refuses a value held by another document; at most one path may be an array (error 171 otherwise).
   */
  private entryKeys(index: IndexState, doc: Document): Map<string, unknown[]> {
    if (index.partial && !index.partial.test(doc)) return new Map();
    let combos: unknown[][] = [[]];
    let arrays = 0;
    for (const path of Object.keys(index.spec.key)) {
      const value = valueAtPath(doc, path) ?? null;
      const values = Array.isArray(value) ? (value.length > 0 ? value : [undefined]) : [value];
      if (Array.isArray(value) && ++arrays > 1) throw new CommandError(171, 'CannotIndexParallelArrays', `cannot index parallel arrays in index ${index.spec.name}`);
      combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    }
    return new Map(combos.map((combo) => [valueKey(combo), combo]));
  }

  /** The 11000 error for `values`, the colliding key (one element of a multikey array), or the document's `_id`. */
  private duplicate(index: IndexState, values: Document | unknown[]): CommandError {
    const keyValue: Document = {};
    Object.keys(index.spec.key).forEach((path, i) => (keyValue[path] = Array.isArray(values) ? (values[i] ?? null) : (valueAtPath(values, path) ?? null)));
    const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
    return new CommandError(11000, 'DuplicateKey', `E11000 duplicate key error collection: ${this.ns} index: ${index.spec.name} dup key: { ${shown} }`, {
      keyPattern: index.spec.key,
      keyValue,
    });
  }
}
