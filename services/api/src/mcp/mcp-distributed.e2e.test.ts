/**
 * The MCP endpoint in distributed mode: the api and the runner as real child processes on BullMQ (the shared Redis,
 * a private key prefix) and MongoDB (the wire-protocol test server, or MONGO_URI's replica set). The SDK client's
 * tool call waits for the run on the Redis event bus and answers its output.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import { startTestMongo, uniqueDbName, withDatabase, type TestMongo } from '@outrun/testing/mongo';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;

let mongo: TestMongo;
let prefix: string;
const services: ServiceProcess[] = [];
let gateway: string;
let api: WorkflowApi;
let ws: string;
let apiKey: string;

beforeAll(async () => {
  mongo = await startTestMongo();
  prefix = uniquePrefix('mcp');
  const [apiPort, runnerPort] = await Promise.all([freePort(), freePort()]);
  const common = {
    MONGO_URI: withDatabase(mongo.uri, uniqueDbName('outrun_mcp')),
    REDIS_URL: SHARED_REDIS_URL,
    OUTRUN_QUEUE_PREFIX: prefix,
    OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  gateway = `http://127.0.0.1:${apiPort}`;
  services.push(
    ...(await Promise.all([
      spawnService('runner', common, { port: runnerPort }),
      spawnService('api', { ...common, API_HOST: '127.0.0.1', OUTRUN_ADMIN_TOKEN: ADMIN_TOKEN, WORKFLOW_SERVICE_URL: `http://127.0.0.1:${runnerPort}` }, { port: apiPort }),
    ])),
  );
  const created = await createWorkflowApi({ baseUrl: gateway }).createWorkspace('mcp-distributed', ADMIN_TOKEN);
  ws = created.workspace.id;
  apiKey = created.apiKey;
  api = createWorkflowApi({ baseUrl: gateway, apiKey });
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await mongo?.close();
  if (prefix) await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

describe('MCP endpoint, distributed (MongoDB + BullMQ)', () => {
  it('lists the exposed workflow and answers a call with the run output', async () => {
    const wf = await api.createWorkflow(ws, {
      name: 'Quote',
      triggers: [{ id: 'mcp-dist-manual', type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'mcp-dist-manual' } },
        { id: 'price', type: 'set', position: { x: 200, y: 0 }, data: { keepInput: false, fields: [{ name: 'total', value: '{{ trigger.qty * 3 }}' }] } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'price' }],
      settings: {
        inputSchema: { type: 'object', properties: { qty: { type: 'integer', minimum: 1 } }, required: ['qty'] },
        mcp: { expose: true, toolName: 'quote', waitMs: 20_000 },
      },
    });
    await api.activateWorkflow(ws, wf.id);
    const client = new Client({ name: 'dist-client', version: '2.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway}/api/workspaces/${ws}/mcp`), { requestInit: { headers: { authorization: `Bearer ${apiKey}` } } }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['quote']);
      const result = await client.callTool({ name: 'quote', arguments: { qty: 4 } });
      expect(result.structuredContent, services.map((s) => s.output()).join('\n')).toEqual({ total: 12 });
      const run = await api.getRun(ws, String(result._meta?.['outrun/runId']));
      expect(run).toMatchObject({ status: 'completed', triggeredBy: { source: 'mcp:dist-client/2.0.0', payload: { qty: 4 } } });
      expect((await client.callTool({ name: 'quote', arguments: { qty: 0 } })).isError).toBe(true);
    } finally {
      await client.close();
    }
  }, 60_000);
});
