/** The gateway with the in-repo connectors loaded by name, as `npm start` does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNodes, connectorPackageNames, createNetworkGuard, loadConnectors, type Connector } from '@outrun/connector-kit';
import { createNodeCatalog } from '@outrun/nodes';
import type { ConnectorSummary, NodeDescription } from '@outrun/schemas';
import { startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
let connectors: Connector[];

beforeAll(async () => {
  connectors = await loadConnectors(connectorPackageNames('builtin'));
  h = await startApi({ catalog: createNodeCatalog(connectorNodes(connectors)), connectors, networkGuard: createNetworkGuard({ allowList: ['127.0.0.1:6379', '127.0.0.1:5432'] }) });
});
afterAll(() => h.close());

describe('connectors in the API', () => {
  it('GET /api/nodes lists connector actions with their connector, version and credential type', async () => {
    const nodes = (await (await h.fetch('/api/nodes', { apiKey: null })).json()) as NodeDescription[];
    const query = nodes.find((n) => n.type === 'postgres.query@1');
    expect(query?.connector).toEqual({ name: 'postgres', version: '1.0.0', label: 'PostgreSQL', category: 'database', credential: { type: 'postgres.connection', label: 'PostgreSQL connection', fields: ['host', 'port', 'user', 'password', 'database', 'ssl'], secretFields: ['password'] } });
    expect((query?.paramsSchema as { properties: Record<string, unknown> }).properties).toHaveProperty('credentialId');
    expect(nodes.filter((n) => n.connector).map((n) => n.type)).toEqual(expect.arrayContaining(['slack.postMessage@1', 'github.createIssue@1', 'rabbitmq.publish@1', 'mqtt.publish@1', 'nats.publish@1', 'email.send@1', 'redis.streamAdd@1', 'mysql.insert@1']));
    expect(nodes.find((n) => n.type === 'set')?.connector).toBeUndefined();
  });

  it('GET /api/connectors lists versions, credential types and event sources', async () => {
    const list = (await (await h.fetch('/api/connectors', { apiKey: null })).json()) as ConnectorSummary[];
    expect(list.map((c) => `${c.name}@${c.version}`)).toEqual(['postgres@1.0.0', 'mysql@1.0.0', 'redis@1.0.0', 'rabbitmq@1.0.0', 'mqtt@1.0.0', 'nats@1.0.0', 'email@1.0.0', 'slack@1.0.0', 'github@1.0.0']);
    const redis = list.find((c) => c.name === 'redis')!;
    expect(redis.triggers.map((t) => t.source)).toEqual(['redis.streamEntries@1', 'redis.pubsubMessages@1']);
    expect(redis.credentials[0]).toMatchObject({ type: 'redis.connection', secretFields: ['password'], testable: true });
  });

  it('tests a credential against the real server, with the reason when it fails', async () => {
    const ok = await h.fetch(`/api/workspaces/${h.ws}/connectors/credentials/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'redis.connection', data: { host: '127.0.0.1', port: 6379 } }) });
    expect(await ok.json()).toEqual({ ok: true });
    const bad = await h.fetch(`/api/workspaces/${h.ws}/connectors/credentials/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'postgres.connection', data: { host: '127.0.0.1', port: 5432, user: 'no_such_user_x', password: 'pw-never-echoed', database: 'test' } }) });
    const body = (await bad.json()) as { ok: boolean; message: string };
    expect(body.ok).toBe(false);
    expect(body.message).not.toContain('pw-never-echoed');
    // A private host the outbound policy does not allow: refused before any connection.
    const refused = await h.fetch(`/api/workspaces/${h.ws}/connectors/credentials/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'mysql.connection', data: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } }) });
    const refusedBody = (await refused.json()) as { ok: boolean; message: string };
    expect(refusedBody).toMatchObject({ ok: false });
    expect(refusedBody.message).toMatch(/outbound policy: 127\.0\.0\.1:3306 resolves to 127\.0\.0\.1/);
    const unknown = await h.fetch(`/api/workspaces/${h.ws}/connectors/credentials/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'nope.x', data: {} }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_CONNECTOR_NOT_INSTALLED');
  });

  it('saves and publishes a workflow with a connector node and an event-source trigger', async () => {
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'orders to redis',
        nodes: [{ id: 'count', type: 'redis.incr@1', position: { x: 0, y: 0 }, data: { key: 'orders', credentialId: 'cred-1' } }],
        triggers: [{ id: 'orders-q', type: 'event_source', config: { source: 'rabbitmq.queueMessages@1', credentialId: 'cred-2', params: { queue: 'orders' } } }],
      }),
    });
    expect(res.status).toBe(201);
    const wf = (await res.json()) as { triggers: Array<{ config: { capacity: number } }> };
    expect(wf.triggers[0]!.config.capacity).toBe(16);
  });

  it('activation checks event sources: an uninstalled source or bad params is a 422 naming the field', async () => {
    const create = async (config: Record<string, unknown>) => {
      const res = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `src ${Math.random()}`, nodes: [{ id: 'n', type: 'noop', position: { x: 0, y: 0 } }], triggers: [{ id: `t${Math.random().toString(36).slice(2, 8)}`, type: 'event_source', config }] }) });
      return ((await res.json()) as { id: string }).id;
    };
    const activate = async (id: string) => {
      const res = await h.fetch(`/api/workspaces/${h.ws}/workflows/${id}/activate`, { method: 'POST' });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; details: Array<{ path: string; code: string }> } } };
    };
    const missing = await activate(await create({ source: 'postgres.newRows@7', params: { table: 'x' } }));
    expect(missing.status).toBe(422);
    expect(missing.body.error?.details).toEqual([expect.objectContaining({ path: 'triggers.0.config.source', code: 'OUT_ERR_CONNECTOR_NOT_INSTALLED' })]);
    const badParams = await activate(await create({ source: 'postgres.newRows@1', params: { table: 'not a table;' } }));
    expect(badParams.status).toBe(422);
    expect(badParams.body.error?.details).toEqual([expect.objectContaining({ path: 'triggers.0.config.params.table', code: 'OUT_ERR_TRIGGER_INVALID' })]);
    expect((await activate(await create({ source: 'postgres.newRows@1', params: { table: 'leads' } }))).status).toBe(200);
  });
});
