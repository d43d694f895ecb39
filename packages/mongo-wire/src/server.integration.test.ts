import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from './server';

/** The wire server through the official driver: what the store adapter relies on, case by case. */
let server: MongoWireServer;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startMongoWireServer({ changeHistory: 50 });
  client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db('wire_test');
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('mongo-wire server', () => {
  it('reports a single-member replica set and answers ping and buildInfo', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, setName: 'rs0', hosts: [`127.0.0.1:${server.port}`], maxBsonObjectSize: 16 * 1024 * 1024 });
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect((await db.admin().command({ buildInfo: 1 })).version).toBe('7.0.0');
  });

  it('pages a cursor with getMore and kills it', async () => {
    const c = db.collection('paged');
    await c.insertMany(Array.from({ length: 350 }, (_, i) => ({ i })));
    const before = server.commandCounts.get('getmore') ?? 0;
    expect((await c.find({}).sort({ i: -1 }).batchSize(40).toArray()).map((d) => d.i as number)).toEqual(Array.from({ length: 350 }, (_, i) => 349 - i));
    expect(server.commandCounts.get('getmore')).toBeGreaterThanOrEqual(before + 8);
    const cursor = c.find({}).batchSize(10);
    await cursor.next();
    await cursor.close();
    expect(server.commandCounts.get('killcursors')).toBeGreaterThanOrEqual(1);
  });

  it('enforces unique indexes with code 11000, keyPattern and keyValue; honours partial filters', async () => {
    const c = db.collection('unique');
    await c.createIndexes([{ key: { a: 1, b: 1 }, name: 'ab', unique: true }, { key: { p: 1 }, name: 'p', unique: true, partialFilterExpression: { p: { $exists: true } } }]);
    await c.insertOne({ a: 1, b: 2 });
    await c.insertMany([{ a: 9 }, { a: 8 }]);
    await expect(c.insertOne({ a: 1, b: 2 })).rejects.toMatchObject({ code: 11000, keyPattern: { a: 1, b: 1 }, keyValue: { a: 1, b: 2 } });
    await expect(c.updateOne({ a: 9 }, { $set: { a: 1, b: 2 } })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'ab', 'p']);
  });

  it('indexes each element of an array (multikey): a unique index refuses an element another document holds', async () => {
    const c = db.collection('multikey');
    await c.createIndexes([{ key: { tags: 1 }, name: 'tags', unique: true, partialFilterExpression: { tags: { $exists: true } } }]);
    await c.insertOne({ _id: 'a' as never, tags: ['x', 'y', 'y'] }); // repeats inside one document are fine
    await expect(c.insertOne({ _id: 'b' as never, tags: ['z', 'y'] })).rejects.toMatchObject({ code: 11000, keyPattern: { tags: 1 }, keyValue: { tags: 'y' } });
    await c.insertOne({ _id: 'b' as never, tags: ['z'] });
    await c.insertMany([{ _id: 'c' as never }, { _id: 'd' as never }]); // no field: skipped by the partial filter
    await expect(c.updateOne({ _id: 'b' as never }, { $set: { tags: ['z', 'x'] } })).rejects.toMatchObject({ code: 11000 });
    await c.updateOne({ _id: 'a' as never }, { $unset: { tags: '' } }); // releases x and y
    await c.updateOne({ _id: 'b' as never }, { $set: { tags: ['z', 'x'] } });
    await c.deleteOne({ _id: 'b' as never }); // releases z and x
    await c.insertOne({ _id: 'e' as never, tags: ['x', 'z'] });
  });

  it('applies positional $, pipeline updates, $setOnInsert upserts and findAndModify', async () => {
    const c = db.collection('updates');
    await c.insertOne({ _id: 'r' as never, steps: [{ n: 'a', v: 1 }, { n: 'b', v: 1 }], total: 0 });
    await c.updateOne({ _id: 'r' as never, 'steps.n': 'b' }, { $set: { 'steps.$.v': 2 }, $inc: { total: 5 } });
    const after = await c.findOneAndUpdate({ _id: 'r' as never }, [{ $set: { total: { $add: ['$total', 1] }, label: { $literal: '$notAPath' } } }], { returnDocument: 'after' });
    expect(after).toMatchObject({ steps: [{ n: 'a', v: 1 }, { n: 'b', v: 2 }], total: 6, label: '$notAPath' });
    const up = await c.updateOne({ _id: 'new' as never }, { $inc: { n: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedId).toBe('new');
    await c.updateOne({ _id: 'new' as never }, { $inc: { n: 1 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(await c.findOne({ _id: 'new' as never })).toEqual({ _id: 'new', n: 2, created: true });
    await expect(c.updateOne({ _id: 'r' as never }, { $set: { bad: { $x: 1 } } })).rejects.toMatchObject({ code: 52 });
  });

  it('rejects documents over 16 MiB', async () => {
    const c = db.collection('big');
    await c.insertOne({ _id: 'b' as never, s: 'x'.repeat(15 * 1024 * 1024) });
    await expect(c.updateOne({ _id: 'b' as never }, { $set: { t: 'y'.repeat(2 * 1024 * 1024) } })).rejects.toMatchObject({ code: 17419 });
  });

  it('expires documents of a TTL index on a monitor pass', async () => {
    const c = db.collection('ttl');
    await c.createIndexes([{ key: { expiresAt: 1 }, name: 'ttl', expireAfterSeconds: 0 }]);
    await c.insertMany([{ expiresAt: new Date(Date.now() - 1000) }, { expiresAt: new Date(Date.now() + 60_000) }]);
    expect(server.expireNow()).toBe(1);
    expect(await c.countDocuments({})).toBe(1);
  });

  it('streams changes, resumes after a token, and fails with 286 once the token left the history', async () => {
    const c = db.collection('events');
    const stream = c.watch([{ $match: { operationType: 'insert' } }]);
    const first = stream.next();
    await c.insertOne({ i: 1 });
    const change = await first;
    await stream.close();
    await c.insertOne({ i: 2 });
    const resumed = c.watch([], { resumeAfter: change._id });
    expect(await resumed.next()).toMatchObject({ operationType: 'insert', fullDocument: { i: 2 } });
    await resumed.close();
    for (let i = 0; i < 60; i++) await db.collection('other').insertOne({ i });
    const lost = c.watch([], { resumeAfter: change._id });
    await expect(lost.next()).rejects.toMatchObject({ code: 286 });
    await lost.close();
  });

  it('fails commands on a configured fail point, then recovers', async () => {
    await db.admin().command({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands: ['insert'], errorCode: 91 } });
    await expect(db.collection('fp').insertOne({ a: 1 })).rejects.toMatchObject({ code: 91 });
    await db.collection('fp').insertOne({ a: 2 });
    expect(await db.collection('fp').countDocuments({})).toBe(1);
  });
});
