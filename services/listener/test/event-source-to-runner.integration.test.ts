/**
 * The whole path with real parts: a Redis stream entry → the listener's event source records a run → the runner
 * executes the pinned workflow whose connector steps (PostgreSQL insert, Redis incr) use a stored, encrypted
 * credential decrypted inside the step. Every entry: one run, one row, one increment.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pg from 'pg';
import { connectorNodes } from '@outrun/connector-kit';
import redisConnector from '@outrun/connector-redis';
import postgresConnector from '@outrun/connector-postgres';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createRunner } from '@outrun/runner';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { WorkflowInput } from '@outrun/schemas';
import { eventually, silentLogger, startListener } from './fixtures';

const prefix = `connectors:${randomBytes(4).toString('hex')}:`;
const schema = `connectors_e2e_${randomBytes(4).toString('hex')}`;
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db.end();
});

describe('event source → run → connector steps in the runner', () => {
  it('each stream entry becomes one run whose PostgreSQL and Redis steps run once', async () => {
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.orders (order_id text PRIMARY KEY, qty int)`);
    const temp = await createTempSqliteStore();
    const { store } = temp;
    const ws = (await store.workspaces.createWorkspace({ name: 'e2e' })).id;
    const redisCred = await store.credentials.create(ws, { name: 'redis', type: 'generic', data: { host: '127.0.0.1', port: 6379, keyPrefix: prefix } });
    const pgCred = await store.credentials.create(ws, { name: 'pg', type: 'generic', data: { host: '127.0.0.1', user: 'postgres', password: 'not-used', database: 'test' } });
    await redis.xgroup('CREATE', `${prefix}orders`, 'outrun', '$', 'MKSTREAM');
    const input = WorkflowInput.parse({
      name: 'orders',
      triggers: [{ id: 'orders', type: 'event_source', config: { source: 'redis.streamEntries@1', credentialId: redisCred.id, params: { stream: 'orders', blockMs: 200 }, capacity: 4 } }],
      nodes: [
        { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'orders' } },
        { id: 'save', type: 'postgres.insert@1', position: { x: 1, y: 0 }, data: { credentialId: pgCred.id, schema, table: 'orders', rows: [{ order_id: '{{ trigger.fields.order }}', qty: '{{ $number(trigger.fields.qty) }}' }], conflictColumns: ['order_id'] } },
        { id: 'count', type: 'redis.incr@1', position: { x: 2, y: 0 }, data: { credentialId: redisCred.id, key: 'orders-seen' } },
      ],
      edges: [{ id: 'e1', source: 't', target: 'save' }, { id: 'e2', source: 'save', target: 'count' }],
      settings: { concurrency: 4 },
    });
    const wf = await store.workflows.createWorkflow(ws, input);
    await store.workflows.setWorkflowStatus(ws, wf.id, 'active');

    const connectors = [redisConnector, postgresConnector];
    const queue = createMemoryQueue();
    const events = createMemoryEventBus();
    const http = createHttpClient();
    const runner = createRunner({ store, queue, events, catalog: createNodeCatalog(connectorNodes(connectors)), logger: silentLogger, http, options: { reconcileIntervalMs: 0 } });
    await runner.start();
    const listener = await startListener({ store, queue, events, connectors });
    try {
      for (let i = 1; i <= 10; i++) await redis.xadd(`${prefix}orders`, '*', 'order', `o-${i}`, 'qty', String(i));
      const runs = await eventually(async () => {
        const page = await store.runs.listRuns(ws, { limit: 100 });
        return page.items.length === 10 && page.items.every((r) => r.status === 'completed' || r.status === 'failed') ? page.items : null;
      }, 30_000, '10 finished runs');
      expect(runs.map((r) => r.status)).toEqual(Array(10).fill('completed'));
      const { rows } = await db.query(`SELECT order_id, qty FROM ${schema}.orders ORDER BY qty`);
      expect(rows).toEqual(Array.from({ length: 10 }, (_, i) => ({ order_id: `o-${i + 1}`, qty: i + 1 })));
      expect(await redis.get(`${prefix}orders-seen`)).toBe('10');
      const run = await store.runs.getRun(ws, runs[0]!.id);
      // The recorded steps carry outputs, never the credential.
      expect(JSON.stringify(run)).not.toContain('not-used');
    } finally {
      await listener.close();
      await runner.stop({ graceMs: 1000 });
      await http.close();
      await queue.close();
      await events.close();
      await temp.cleanup();
    }
  });
});
