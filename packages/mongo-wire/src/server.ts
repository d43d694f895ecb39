import { createServer, type AddressInfo, type Socket } from 'node:net';
import { ObjectId, type Document } from 'bson';
import { resumeToken } from './change-log';
import { adminCommands } from './commands-admin';
import { CommandContext, type CommandHandler, type ServerOptions } from './command-context';
import { CommandError } from './command-error';
import { readCommands } from './commands-read';
import { writeCommands } from './commands-write';
import { FailPoint } from './fail-point';
import { ServerState } from './server-state';
import { decodeRequest, encodeReply, takeMessages, type WireRequest } from './wire-messages';

export interface MongoWireServerOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (ephemeral) */
  port?: number;
  /** Replica-set name reported by hello; `null` reports a standalone server. @default "rs0" */
  replicaSetName?: string | null;
  /** How many changes the change log keeps (the "oplog window"). @default 100000 */
  changeHistory?: number;
  /** Interval of the TTL monitor. @default 60000 (as MongoDB) */
  ttlMonitorMs?: number;
}

export interface MongoWireServer {
  /** Connection string with the replica-set name, no database. */
  uri: string;
  host: string;
  port: number;
  /** Counts of every command received, by name (lower case). */
  commandCounts: Map<string, number>;
  /** Observes every command before it runs (tests assert on what the driver sent). */
  onCommand(listener: (name: string, command: Document) => void): () => void;
  /** The resume token data (`_data`) of the newest change: a stream whose position reached it has seen everything. */
  headPosition(): string;
  /** Drops the kept change history: every saved resume point is then "no longer in the oplog". */
  forgetChangeHistory(): void;
  /** Runs one TTL monitor pass now; returns how many documents expired. */
  expireNow(): number;
  /** Closes every connection and the listening socket. */
  close(): Promise<void>;
}

const COMMANDS: Record<string, CommandHandler> = { ...adminCommands, ...readCommands, ...writeCommands };
const TRANSACTION_FIELDS = ['startTransaction', 'autocommit'];

/**
 * Starts a MongoDB wire-protocol server (OP_MSG, legacy OP_QUERY hello) backed by memory, for tests only:
 * query, update and aggregation semantics come from mingo, encoding from bson.
 */
export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const host = options.host ?? '127.0.0.1';
  const state = new ServerState(options.changeHistory ?? 100_000);
  const serverOptions: ServerOptions = { replicaSetName: options.replicaSetName === undefined ? 'rs0' : options.replicaSetName };
  const electionId = new ObjectId();
  const sockets = new Set<Socket>();
  const listeners = new Set<(name: string, command: Document) => void>();
  const commandCounts = new Map<string, number>();
  let connections = 0;
  let responseId = 1;
  let address = '';
  const failPoint = new FailPoint();

  async function execute(request: WireRequest, connectionId: number, socket: Socket): Promise<Document | null> {
    const name = Object.keys(request.command)[0] ?? '';
    const key = name.toLowerCase();
    commandCounts.set(key, (commandCounts.get(key) ?? 0) + 1);
    for (const listener of listeners) listener(key, request.command);
    const handler = COMMANDS[key];
    if (key === 'configurefailpoint') {
      failPoint.configure(request.command);
      return { ok: 1 };
    }
    const fired = failPoint.take(name, `${String(request.command.$db)}.${String(request.command[name])}`);
    if (fired) {
      if (fired.block > 0) await new Promise((resolve) => setTimeout(resolve, fired.block));
      if (fired.close) {
        socket.destroy();
        return null;
      }
      if (fired.errorCode !== undefined) return { ok: 0, code: fired.errorCode, codeName: 'FailPoint', errmsg: fired.errmsg ?? `Failing command ${name} via 'failCommand' failpoint` };
    }
    try {
      if (!handler) throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
      if (TRANSACTION_FIELDS.some((f) => f in request.command) || key === 'committransaction' || key === 'aborttransaction') {
        throw new CommandError(20, 'IllegalOperation', 'Transactions are not supported by the Outrun test server.');
      }
      const ctx = new CommandContext(state, String(request.command.$db ?? 'admin'), serverOptions, address, connectionId, electionId);
      const reply = await handler(request.command, ctx);
      return { ...reply, ok: 1, ...(serverOptions.replicaSetName ? { operationTime: ctx.operationTime() } : {}) };
    } catch (error) {
      if (error instanceof CommandError) return error.toReply();
      return { ok: 0, errmsg: error instanceof Error ? error.message : String(error), code: 1, codeName: 'InternalError' };
    }
  }

  const server = createServer((socket) => {
    const connectionId = ++connections;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      let messages: Buffer[];
      try {
        ({ messages, rest: buffer } = takeMessages(Buffer.concat([buffer, chunk])));
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) {
        // One connection runs one operation at a time, as the driver expects.
        queue = queue.then(async () => {
          const request = decodeRequest(message);
          const reply = await execute(request, connectionId, socket);
          if (reply && !request.moreToCome && !socket.destroyed) socket.write(encodeReply(request, responseId++, reply));
        }).catch(() => void socket.destroy());
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const ttl = setInterval(() => state.expire(Date.now()), options.ttlMonitorMs ?? 60_000);
  ttl.unref();
  const query = serverOptions.replicaSetName ? `?replicaSet=${serverOptions.replicaSetName}` : '';
  return {
    uri: `mongodb://${address}/${query}`,
    host,
    port,
    commandCounts,
    onCommand(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    headPosition: () => String(resumeToken(state.log.head)._data),
    forgetChangeHistory: () => state.log.forget(),
    expireNow: () => state.expire(Date.now()),
    async close() {
      clearInterval(ttl);
      state.cursors.clear();
      state.log.wakeAll();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
