// The lock heartbeat thread's Redis client: just enough RESP2 over one socket (AUTH, SELECT, EVALSHA/EVAL) to
// extend locks. ioredis in the thread cost its isolate ~15 MB of RSS per runner process; this costs almost none.
// Commands are pipelined and answered in order; a lost connection fails what was in flight and reconnects on the
// next call (a missed beat is what the lock duration is for). Plain ESM, no dependencies: loads without a TS loader.
import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** @typedef {{ host: string, port: number, path?: string, username?: string, password?: string, db: number, tls?: object }} Target */

/** A REDIS_URL or plain ioredis-style options → where to connect; null when only ioredis can (sentinels, cluster). */
export function redisTarget(connection) {
  if (typeof connection === 'string') {
    const url = new URL(connection);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return null;
    const db = Number(url.pathname.replace(/^\//, '') || url.searchParams.get('db') || 0);
    return {
      host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: Number(url.port || 6379),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      db: Number.isFinite(db) ? db : 0,
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    };
  }
  if (connection.sentinels || connection.natMap || connection.keyPrefix) return null;
  return {
    host: connection.host ?? '127.0.0.1',
    port: Number(connection.port ?? 6379),
    ...(connection.path ? { path: connection.path } : {}),
    ...(connection.username ? { username: connection.username } : {}),
    ...(connection.password ? { password: connection.password } : {}),
    db: Number(connection.db ?? 0),
    ...(connection.tls ? { tls: typeof connection.tls === 'object' ? connection.tls : {} } : {}),
  };
}

const encode = (args) => {
  let out = `*${args.length}\r\n`;
  for (const a of args) {
    const s = String(a);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
};

/** Parses one RESP2 reply at `at`; returns [value, next] or undefined when more bytes are needed. */
function parseReply(buf, at) {
  const end = buf.indexOf('\r\n', at);
  if (end < 0) return undefined;
  const type = buf[at];
  const line = buf.toString('utf8', at + 1, end);
  if (type === 43 /* + */) return [line, end + 2];
  if (type === 45 /* - */) return [new Error(line), end + 2];
  if (type === 58 /* : */) return [Number(line), end + 2];
  if (type === 36 /* $ */) {
    const n = Number(line);
    if (n < 0) return [null, end + 2];
    if (buf.length < end + 2 + n + 2) return undefined;
    return [buf.toString('utf8', end + 2, end + 2 + n), end + 2 + n + 2];
  }
  if (type === 42 /* * */) {
    const n = Number(line);
    if (n < 0) return [null, end + 2];
    const items = [];
    let next = end + 2;
    for (let i = 0; i < n; i++) {
      const r = parseReply(buf, next);
      if (!r) return undefined;
      items.push(r[0]);
      next = r[1];
    }
    return [items, next];
  }
  throw new Error(`unexpected RESP type ${type}`);
}

/** A client that runs one Lua script by SHA (loading it on NOSCRIPT) and pipelines calls. */
export function createScriptClient(target, lua, { connectTimeoutMs = 2000 } = {}) {
  const sha = createHash('sha1').update(lua).digest('hex');
  let socket;
  let ready;
  let buffer = Buffer.alloc(0);
  /** Callbacks of the replies still due, in order. */
  const pending = [];

  const failAll = (err) => {
    for (const p of pending.splice(0)) p(err);
    socket = undefined;
    ready = undefined;
    buffer = Buffer.alloc(0);
  };

  const send = (args) =>
    new Promise((resolve, reject) => {
      pending.push((value) => (value instanceof Error ? reject(value) : resolve(value)));
      socket.write(encode(args));
    });

  function open() {
    const options = { host: target.host, port: target.port, ...(target.path ? { path: target.path } : {}) };
    socket = target.tls ? tlsConnect({ ...options, servername: target.host, ...target.tls }) : netConnect(options);
    socket.setNoDelay(true);
    const s = socket;
    s.on('data', (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let at = 0;
      for (;;) {
        const r = parseReply(buffer, at);
        if (!r) break;
        at = r[1];
        pending.shift()?.(r[0]);
      }
      buffer = at === buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
    });
    s.on('error', (err) => s === socket && failAll(err));
    s.on('close', () => s === socket && failAll(new Error('Redis connection closed')));
    const timer = setTimeout(() => s.destroy(new Error('Redis connect timeout')), connectTimeoutMs);
    ready = new Promise((resolve, reject) => {
      s.once(target.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        const auth = target.password === undefined ? [] : [send(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password])];
        const select = target.db ? [send(['SELECT', target.db])] : [];
        Promise.all([...auth, ...select]).then(() => resolve(), reject);
      });
      s.once('close', () => reject(new Error('Redis connection closed')));
    });
    ready.catch(() => undefined);
  }

  return {
    /** Runs the script once per key/arg set, pipelined; resolves to the replies (an Error per failed call). */
    async runAll(calls, timeoutMs = 5000) {
      if (!socket) open();
      const s = socket;
      // A server that stops answering fails the batch and the connection (the next call reconnects).
      const timer = setTimeout(() => s.destroy(new Error('Redis reply timeout')), timeoutMs);
      try {
        await ready;
        const run = (keys, args) => send(['EVALSHA', sha, keys.length, ...keys, ...args]).catch(async (err) => {
          if (!String(err.message).startsWith('NOSCRIPT')) return err;
          return send(['EVAL', lua, keys.length, ...keys, ...args]).catch((e) => e);
        });
        return await Promise.all(calls.map(({ keys, args }) => run(keys, args)));
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      const s = socket;
      socket = undefined;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.once('close', () => resolve());
        s.end(encode(['QUIT']));
        setTimeout(() => s.destroy(), 500).unref();
      });
    },
  };
}
