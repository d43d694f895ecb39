import { calculateObjectSize, EJSON, ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './command-error';

/**
 * A deep copy of plain objects and arrays; BSON values (Binary, Date, ObjectId, …) are shared, as nothing mutates
 * them in place. Stored documents are never mutated: updates work on such a copy.
 */
export function cloneDocument(doc: Document): Document {
  return cloneValue(doc) as Document;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneValue(value[i]);
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = cloneValue((value as Record<string, unknown>)[key]);
  return out;
}

/** Size of a document as BSON. */
export const bsonSize = (doc: Document): number => calculateObjectSize(doc);

/** A string that is equal for equal BSON values (canonical extended JSON; key order counts, as in MongoDB). */
export const valueKey = (value: unknown): string => EJSON.stringify({ v: value } as Document, { relaxed: false });

/** The value at a dotted path, or undefined (no traversal into arrays: an index key path may end at an array, not cross one). */
export function valueAtPath(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setAtPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Record<string, unknown> = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object') current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts.at(-1) as string] = value;
}

const isOperatorObject = (value: unknown): value is Document =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));

/** Equality conditions of a filter: every top-level (and `$and`) field the filter pins to one value. */
export function equalityFields(filter: Document): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) for (const part of value as Document[]) out.push(...equalityFields(part));
    else if (key.startsWith('$')) continue;
    else if (isOperatorObject(value)) {
      if ('$eq' in value) out.push([key, value.$eq]);
    } else out.push([key, value]);
  }
  return out;
}

/** The document an upsert starts from: the filter's equality fields, and a new ObjectId when it pins no `_id`. */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  for (const [path, value] of equalityFields(filter)) setAtPath(seed, path, value);
  if (seed._id === undefined) return { _id: new ObjectId(), ...seed };
  return seed;
}

/**
 * Rewrites the positional `$` of update paths (`steps.$.status`) to the index of the first array element the
 * filter matched, as the server does.
 */
export function resolvePositional(modifier: Document, doc: Document, filter: Document): Document {
  const paths = Object.values(modifier).flatMap((fields) => (fields && typeof fields === 'object' ? Object.keys(fields as Document) : []));
  if (!paths.some((p) => p.includes('.$.') || p.endsWith('.$'))) return modifier;
  const match = positionalMatch(doc, filter);
  if (!match) throw new CommandError(2, 'BadValue', 'The positional operator did not find the match needed from the query.');
  const rewrite = (p: string) => p.split('.').map((part, i, all) => (part === '$' && all.slice(0, i).join('.') === match.arrayPath ? String(match.index) : part)).join('.');
  const out: Document = {};
  for (const [op, fields] of Object.entries(modifier)) {
    out[op] = fields && typeof fields === 'object' && !Array.isArray(fields) ? Object.fromEntries(Object.entries(fields as Document).map(([p, v]) => [rewrite(p), v])) : fields;
  }
  return out;
}

function positionalMatch(doc: Document, filter: Document): { arrayPath: string; index: number } | null {
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const part of condition as Document[]) {
        const found = positionalMatch(doc, part);
        if (found) return found;
      }
      continue;
    }
    if (path.startsWith('$')) continue;
    const parts = path.split('.');
    let current: unknown = doc;
    for (let i = 0; i < parts.length; i++) {
      if (Array.isArray(current)) {
        const rest = parts.slice(i).join('.');
        const query = new Query({ [rest]: condition } as Document);
        const index = current.findIndex((element: unknown) => element !== null && typeof element === 'object' && query.test(element as Document));
        if (index >= 0) return { arrayPath: parts.slice(0, i).join('.'), index };
        break;
      }
      if (current === null || typeof current !== 'object') break;
      current = (current as Document)[parts[i] as string];
    }
    if (Array.isArray(current)) {
      const query = new Query({ v: condition } as Document);
      const index = current.findIndex((element: unknown) => query.test({ v: element }));
      if (index >= 0) return { arrayPath: path, index };
    }
  }
  return null;
}
