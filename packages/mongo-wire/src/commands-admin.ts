import type { Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from './command-error';
import type { CommandHandler } from './command-context';

const MAX_WIRE_VERSION = 21; // MongoDB 7.0

/** `hello` / `isMaster`: a single-member replica set (or a standalone when `replicaSet` is off). */
const hello: CommandHandler = (_cmd, ctx) => {
  const base: Document = {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (!ctx.options.replicaSetName) return base;
  return {
    ...base,
    setName: ctx.options.replicaSetName,
    setVersion: 1,
    hosts: [ctx.address],
    primary: ctx.address,
    me: ctx.address,
    electionId: ctx.electionId,
    lastWrite: { opTime: { ts: ctx.operationTime(), t: 1 }, lastWriteDate: new Date() },
  };
};

/** Commands about the server, sessions and databases. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  ping: () => ({}),
  buildinfo: () => ({ version: '7.0.0', versionArray: [7, 0, 0, 0], gitVersion: 'outrun-mongo-wire', bits: 64, maxBsonObjectSize: MAX_BSON_OBJECT_SIZE, modules: [] }),
  getparameter: () => ({ featureCompatibilityVersion: { version: '7.0' } }),
  endsessions: () => ({}),
  refreshsessions: () => ({}),
  killallsessions: () => ({}),
  dropdatabase: (cmd, ctx) => {
    ctx.state.databases.delete(ctx.db);
    return { dropped: ctx.db };
  },
  listdatabases: (_cmd, ctx) => ({ databases: [...ctx.state.databases.keys()].map((name) => ({ name, sizeOnDisk: 0, empty: false })), totalSize: 0 }),
  create: (cmd, ctx) => {
    const name = String(cmd.create);
    ctx.assertNew(name);
    const { create: _name, $db: _db, lsid: _lsid, $clusterTime: _ct, $readPreference: _rp, ...options } = cmd;
    ctx.state.ensureCollection(ctx.db, name, options);
    return {};
  },
  drop: (cmd, ctx) => {
    const name = String(cmd.drop);
    const existed = ctx.state.dropCollection(ctx.db, name);
    return existed ? { ns: `${ctx.db}.${name}`, nIndexesWas: 1 } : {};
  },
  listcollections: (cmd, ctx) => ctx.listCollections(cmd),
  listindexes: (cmd, ctx) => {
    const collection = ctx.requireCollection(String(cmd.listIndexes));
    return ctx.firstBatch(collection.indexSpecs(), `${ctx.db}.${collection.name}`, cmd.cursor as Document | undefined);
  },
  createindexes: (cmd, ctx) => {
    const existed = ctx.state.collection(ctx.db, String(cmd.createIndexes)) !== undefined;
    const collection = ctx.state.ensureCollection(ctx.db, String(cmd.createIndexes));
    const before = collection.indexSpecs().length;
    for (const spec of cmd.indexes as Document[]) collection.addIndex(spec as never);
    return { createdCollectionAutomatically: !existed, numIndexesBefore: before, numIndexesAfter: collection.indexSpecs().length };
  },
  dropindexes: () => ({ nIndexesWas: 1 }),
};

