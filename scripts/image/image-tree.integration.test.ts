/**
 * The service images without a Docker engine: `buildImageTree` (the Dockerfile's build step) builds each service's
 * tree into a temp folder, then api, listener and runner start from the compiled JavaScript with plain `node` (no
 * tsx), on the real Redis (BullMQ, private prefix) and one SQLite file, answer /readyz, and run a webhook-triggered
 * workflow end to end (an expression step, a code step, then an HTTP call to a local sink).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowApi } from '@outrun/client';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { buildImageTree, IMAGE_SERVICES } from './build-tree';

const prefix = uniquePrefix('image');
const adminToken = randomBytes(24).toString('hex');
let dir: string;
let sink: HttpSink;
const services = new Map<string, ServiceProcess>();

/** Every file under `at`, relative. */
function filesUnder(at: string): string[] {
  return readdirSync(at, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(at.length + 1));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-image-'));
  sink = await startHttpSink();
  for (const service of IMAGE_SERVICES) await buildImageTree(service, join(dir, service));
  const ports = { api: await freePort(), listener: await freePort(), runner: await freePort() };
  const env = {
    NODE_ENV: 'production',
    REDIS_URL: SHARED_REDIS_URL,
    OUTRUN_QUEUE_PREFIX: prefix,
    OUTRUN_DATA_DIR: join(dir, 'data'),
    OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    OUTRUN_ADMIN_TOKEN: adminToken,
    OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`,
    LISTENER_SERVICE_URL: `http://127.0.0.1:${ports.listener}`,
    WORKFLOW_SERVICE_URL: `http://127.0.0.1:${ports.runner}`,
  };
  for (const name of IMAGE_SERVICES) {
    services.set(name, await spawnService(name, env, { port: ports[name], compiledEntry: join(dir, name, 'lib', name, 'main.js') }));
  }
}, 180_000);

afterAll(async () => {
  for (const s of services.values()) await s.stop();
  await sink?.close();
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('service image trees', () => {
  it('hold compiled JavaScript and production dependencies only', () => {
    for (const service of IMAGE_SERVICES) {
      const tree = join(dir, service);
      const lib = filesUnder(join(tree, 'lib'));
      expect(lib).toContain(join(service, 'main.js'));
      expect(lib.filter((f) => f.endsWith('.ts'))).toEqual([]);
      for (const dev of ['tsx', 'typescript', 'vitest', 'esbuild', 'eslint', '@outrun']) expect(existsSync(join(tree, 'node_modules', dev)), `${service}: ${dev}`).toBe(false);
      expect(existsSync(join(tree, 'node_modules', 'better-sqlite3'))).toBe(true);
    }
  });

  it('start from compiled JavaScript (no tsx), answer /readyz and run a workflow end to end', async () => {
    for (const s of services.values()) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    for (const s of services.values()) expect(s.child.spawnargs.join(' ')).not.toContain('tsx');
    const base = services.get('api')!.url;
    const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('Image', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });
    const wf = await api.createWorkflow(workspace.id, {
      name: 'From the image',
      triggers: [{ id: 'image-hook', type: 'webhook', config: {} }],
      nodes: [
        { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'image-hook' } },
        { id: 'score', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'score', value: '{{ input.body.value * 2 }}' }] } },
        // the code node's worker (code-worker.js) and QuickJS's WASM load from the tree too
        { id: 'code', type: 'code', position: { x: 300, y: 0 }, data: { language: 'typescript', code: 'const s: number = input.score;\nreturn { score: s + 1 };' } },
        { id: 'post', type: 'http-request', position: { x: 400, y: 0 }, data: { method: 'POST', url: `${sink.url}/image`, bodyType: 'json', body: { score: '{{ input.score }}' } } },
      ],
      edges: [
        { id: 'e1', source: 't', target: 'score' },
        { id: 'e2', source: 'score', target: 'code' },
        { id: 'e3', source: 'code', target: 'post' },
      ],
    });
    await api.activateWorkflow(workspace.id, wf.id);
    const res = await fetch(`${base}/webhook/${workspace.id}/image-hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":21}' });
    expect(res.status).toBe(202);
    const deadline = Date.now() + 30_000;
    while (sink.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(sink.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ score: 43 }]);
  });
});
