/**
 * MongoDB for tests: the real server named by `MONGO_URI` (a replica set) when set, else the in-process
 * wire-protocol test server of `@outrun/mongo-wire` on an ephemeral port of 127.0.0.1 (reachable from child
 * processes through the URI).
 */
import { randomBytes } from 'node:crypto';
import { startMongoWireServer, type MongoWireServer, type MongoWireServerOptions } from '@outrun/mongo-wire';

export interface TestMongo {
  /** Connection string without a database name. */
  uri: string;
  /** The emulator when no `MONGO_URI` is set (tests that need its hooks skip themselves on a real server). */
  emulator: MongoWireServer | null;
  close(): Promise<void>;
}

/** Starts (or names) the MongoDB of a test file. */
export async function startTestMongo(options: MongoWireServerOptions = {}): Promise<TestMongo> {
  // Tests may read the environment directly; services go through @outrun/config.
  const real = process.env.MONGO_URI;
  if (real) return { uri: real, emulator: null, close: async () => undefined };
  const emulator = await startMongoWireServer(options);
  return { uri: emulator.uri, emulator, close: () => emulator.close() };
}

/** A database name no other test uses. */
export const uniqueDbName = (label = 'outrun_test'): string => `${label}_${randomBytes(6).toString('hex')}`;

/** `uri` with `dbName` as its path (keeps the query string). */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
