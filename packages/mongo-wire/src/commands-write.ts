import { ObjectId, serialize, type Document } from 'bson';
import { Aggregator, Query, update as applyModifier } from 'mingo';
import type { CollectionState } from './collection';
import { CommandError } from './command-error';
import type { CommandHandler } from './command-context';
import { bsonSize, cloneDocument, resolvePositional, upsertSeed } from './documents';

interface UpdateSpec {
  q: Document;
  u: Document | Document[];
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
}

const isPipeline = (u: UpdateSpec['u']): u is Document[] => Array.isArray(u);
const isReplacement = (u: Document): boolean => Object.keys(u).every((k) => !k.startsWith('$'));

/** The document after `u` (operators, pipeline or replacement); `inserting` applies `$setOnInsert`. */
export function updatedDocument(doc: Document, spec: UpdateSpec, inserting: boolean): Document {
  const { u } = spec;
  if (isPipeline(u)) {
    const [out] = new Aggregator(u).run([cloneDocument(doc)]) as Document[];
    return out ?? doc;
  }
  if (isReplacement(u)) return { _id: doc._id, ...u };
  const { $setOnInsert, ...operators } = u as Document & { $setOnInsert?: Document };
  for (const op of ['$set', '$setOnInsert', '$push', '$addToSet']) {
    for (const [path, value] of Object.entries((u[op] as Document | undefined) ?? {})) {
      const each = op !== '$set' && op !== '$setOnInsert' && value && typeof value === 'object' && '$each' in (value as Document);
      rejectDollarFields(each ? (value as Document).$each : value, path);
    }
  }
  const modifier: Document = inserting && $setOnInsert ? { ...operators, $set: { ...(operators.$set as Document | undefined), ...$setOnInsert } } : operators;
  const next = cloneDocument(doc);
  if (Object.keys(modifier).length === 0) return next;
  const changed = applyModifier(next, resolvePositional(modifier, doc, spec.q) as never, spec.arrayFilters, undefined, { cloneMode: 'deep' });
  return changed.length > 0 ? next : doc;
}

/** As the server: `$`-prefixed field names inside the values of update operators are not storable (code 52). */
function rejectDollarFields(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] !== null && typeof value[i] === 'object') rejectDollarFields(value[i], `${path}.${i}`);
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return;
  for (const [key, inner] of Object.entries(value as Document)) {
    if (key.startsWith('$')) throw new CommandError(52, 'DollarPrefixedFieldName', `The dollar ($) prefixed field '${key}' in '${path}.${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    rejectDollarFields(inner, `${path}.${key}`);
  }
}

/** Applies one update statement; returns what changed. */
export function applyUpdate(collection: CollectionState, spec: UpdateSpec): { n: number; nModified: number; upserted?: unknown; before?: Document; after?: Document } {
  let targets = [...collection.matching(spec.q)];
  if (spec.sort && targets.length > 1) targets = new Aggregator([{ $sort: spec.sort }]).run(targets) as Document[];
  if (!spec.multi) targets = targets.slice(0, 1);
  if (targets.length === 0) {
    if (!spec.upsert) return { n: 0, nModified: 0 };
    const seed = upsertSeed(spec.q);
    const doc = updatedDocument(seed, spec, true);
    if (doc._id === undefined) doc._id = seed._id ?? new ObjectId();
    collection.insert(doc);
    return { n: 1, nModified: 0, upserted: doc._id, after: doc };
  }
  let nModified = 0;
  let first: { before: Document; after: Document } | undefined;
  for (const current of targets) {
    const next = updatedDocument(current, spec, false);
    first ??= { before: current, after: next };
    if (next === current || (isPipeline(spec.u) && unchanged(next, current))) continue;
    collection.replace(current, next, !isPipeline(spec.u) && isReplacement(spec.u) ? 'replace' : 'update', { updatedFields: {}, removedFields: [] });
    nModified++;
  }
  return { n: targets.length, nModified, ...first };
}

const unchanged = (a: Document, b: Document): boolean => bsonSize(a) === bsonSize(b) && Buffer.from(serialize(a)).equals(serialize(b));

function writeError(index: number, error: unknown): Document {
  if (error instanceof CommandError) return { index, code: error.code, codeName: error.codeName, errmsg: error.message, ...error.extra };
  throw error;
}

const insert: CommandHandler = (cmd, ctx) => {
  const collection = ctx.state.ensureCollection(ctx.db, String(cmd.insert));
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, doc] of (cmd.documents as Document[]).entries()) {
    try {
      collection.insert(doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc);
      n++;
    } catch (error) {
      writeErrors.push(writeError(index, error));
      if (cmd.ordered !== false) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
};

const update: CommandHandler = (cmd, ctx) => {
  const collection = ctx.state.ensureCollection(ctx.db, String(cmd.update));
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, spec] of (cmd.updates as UpdateSpec[]).entries()) {
    try {
      const result = applyUpdate(collection, spec);
      n += result.n;
      nModified += result.nModified;
      if (result.upserted !== undefined) upserted.push({ index, _id: result.upserted });
    } catch (error) {
      writeErrors.push(writeError(index, error));
      if (cmd.ordered !== false) break;
    }
  }
  return { n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ...(writeErrors.length > 0 ? { writeErrors } : {}) };
};

const del: CommandHandler = (cmd, ctx) => {
  const collection = ctx.state.collection(ctx.db, String(cmd.delete));
  let n = 0;
  for (const spec of cmd.deletes as Array<{ q: Document; limit: number }>) {
    if (!collection) break;
    const targets = [...collection.matching(spec.q)];
    for (const doc of spec.limit === 1 ? targets.slice(0, 1) : targets) {
      collection.remove(doc);
      n++;
    }
  }
  return { n };
};

const findAndModify: CommandHandler = (cmd, ctx) => {
  const collection = ctx.state.ensureCollection(ctx.db, String(cmd.findAndModify ?? cmd.findandmodify));
  const q = (cmd.query as Document | undefined) ?? {};
  const project = (doc: Document | undefined): Document | null => {
    if (!doc) return null;
    const fields = cmd.fields as Document | undefined;
    if (!fields || Object.keys(fields).length === 0) return cloneDocument(doc);
    return (new Aggregator([{ $project: fields }]).run([cloneDocument(doc)]) as Document[])[0] ?? null;
  };
  if (cmd.remove) {
    let targets = [...collection.matching(q)];
    if (cmd.sort && targets.length > 1) targets = new Aggregator([{ $sort: cmd.sort }]).run(targets) as Document[];
    const target = targets[0];
    if (target) collection.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target) };
  }
  const spec: UpdateSpec = { q, u: cmd.update as Document, multi: false, upsert: cmd.upsert === true, ...(cmd.arrayFilters ? { arrayFilters: cmd.arrayFilters as Document[] } : {}), ...(cmd.sort ? { sort: cmd.sort as Document } : {}) };
  const result = applyUpdate(collection, spec);
  const value = cmd.new ? result.after : result.before;
  const lastErrorObject: Document = { n: result.n, updatedExisting: result.n > 0 && result.upserted === undefined };
  if (result.upserted !== undefined) lastErrorObject.upserted = result.upserted;
  return { lastErrorObject, value: project(value) };
};

/** insert, update, delete, findAndModify. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: del, findandmodify: findAndModify };

/** True when a filter matches a document (used by count). */
export const matches = (filter: Document, doc: Document): boolean => new Query(filter).test(doc);
