/**
 * @outrun/mongo-wire — a MongoDB wire-protocol server in memory, for tests only. It lets the official driver
 * (and so the MongoDB store adapter) run in every `npm test` without a mongod: OP_MSG, a single-member replica
 * set, cursors, CRUD with mingo's query/update/aggregation semantics, unique and TTL indexes, change streams.
 */
export { startMongoWireServer, type MongoWireServer, type MongoWireServerOptions } from './server';
