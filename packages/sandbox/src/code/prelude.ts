/**
 * JavaScript evaluated inside each fresh QuickJS context before the user's code: the documented `helpers`,
 * a `console` whose lines are returned with the result (bounded), and the serialiser of the result. Plain
 * JS in the guest, no host functions: nothing here crosses the boundary but strings.
 */
export const PRELUDE_FILE = 'outrun-helpers.js';

export const PRELUDE = String.raw`
(function () {
  'use strict';
  const logs = [];
  const MAX_LOG_LINES = 100, MAX_LOG_LINE = 2000;
  const show = (v) => {
    if (typeof v === 'string') return v;
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  };
  const logger = (level) => (...args) => {
    if (logs.length >= MAX_LOG_LINES) return;
    logs.push([level, args.map(show).join(' ').slice(0, MAX_LOG_LINE)]);
  };
  const keyOf = (key) => (typeof key === 'function' ? key : (item) => (item == null ? undefined : item[key]));
  const list = (items, name) => {
    if (!Array.isArray(items)) throw new TypeError('helpers.' + name + ' expects an array');
    return items;
  };
  const helpers = Object.freeze({
    sum: (items, key) => list(items, 'sum').reduce((total, item) => total + Number(key === undefined ? item : keyOf(key)(item)), 0),
    groupBy: (items, key) => {
      const by = keyOf(key), out = {};
      for (const item of list(items, 'groupBy')) { const k = String(by(item)); (out[k] || (out[k] = [])).push(item); }
      return out;
    },
    keyBy: (items, key) => {
      const by = keyOf(key), out = {};
      for (const item of list(items, 'keyBy')) out[String(by(item))] = item;
      return out;
    },
    uniq: (items, key) => {
      const by = key === undefined ? (x) => x : keyOf(key), seen = new Set(), out = [];
      for (const item of list(items, 'uniq')) { const k = by(item); if (!seen.has(k)) { seen.add(k); out.push(item); } }
      return out;
    },
    chunk: (items, size) => {
      if (!(size >= 1)) throw new RangeError('helpers.chunk expects a size >= 1');
      const out = [];
      for (let i = 0; i < list(items, 'chunk').length; i += size) out.push(items.slice(i, i + size));
      return out;
    },
    pick: (obj, keys) => { const out = {}; for (const k of keys) if (obj != null && k in obj) out[k] = obj[k]; return out; },
    omit: (obj, keys) => { const out = Object.assign({}, obj); for (const k of keys) delete out[k]; return out; },
    get: (obj, path, fallback) => {
      let cur = obj;
      for (const part of String(path).split('.')) { if (cur == null) return fallback; cur = cur[part]; }
      return cur === undefined ? fallback : cur;
    },
    fail: (message) => { const e = new Error(String(message)); e.name = 'CodeFailure'; throw e; },
  });
  const console = Object.freeze({ log: logger('info'), info: logger('info'), debug: logger('debug'), warn: logger('warn'), error: logger('error') });
  const serialize = (value) => {
    const json = JSON.stringify(value === undefined ? null : value);
    return json === undefined ? 'null' : json;
  };
  // QuickJS does not count ArrayBuffer storage against the runtime's memory limit (it grows the WebAssembly memory
  // instead), and JSON work has no use for binary buffers: the context is made without them (TypedArrays intrinsic
  // off); this removes any that a future engine version would still add.
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'WeakRef', 'FinalizationRegistry', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
    delete globalThis[name];
  }
  Object.defineProperty(globalThis, '__outrun', { value: Object.freeze({ helpers, console, logs: () => JSON.stringify(logs), serialize }) });
})();
`;
