/**
 * Canary secrets: credentials, a trigger's signing secret, a header-auth webhook secret and API keys holding unique
 * canary strings are created and used by real runs through the embedded stack (BullMQ on the shared Redis under a
 * private prefix, a SQLite file), including a failing request. Then every place a secret could leak to is searched:
 * all log lines (pino output captured), every Redis key and value under the prefix, the SQLite file and its WAL
 * (credential payloads are encrypted and API keys hashed: no canary may appear in plaintext), and run records and
 * API answers. Positive controls prove each canary was really used (the sink received the bearer token, signed
 * webhooks were accepted).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook } from '@outrun/listener';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';

const canary = (what: string) => `CANARY${what}${randomBytes(12).toString('hex')}`;
/** Not a secret: stored in plaintext, so finding it proves the file search reads what was written. */
const VISIBLE = canary('visible');
const CANARIES = { bearer: canary('bearer'), header: canary('header'), generic: canary('generic'), webhookHeader: canary('webhookheader') };

let dir: string;
let stack: EmbeddedStack;
let sink: HttpSink;
const prefix = uniquePrefix('canary');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-canary-'));
  sink = await startHttpSink();
  stack = await startEmbeddedStack({ file: join(dir, 'outrun.db'), encryptionKey: randomBytes(32).toString('hex'), redis: { url: SHARED_REDIS_URL, prefix } });
});
afterAll(async () => {
  await stack?.close();
  await sink?.close();
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
  await rm(dir, { recursive: true, force: true });
});

/** Every key under the prefix with its value(s), as text. */
async function dumpRedis(): Promise<string> {
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        parts.push(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

async function waitTerminal(api: Awaited<ReturnType<EmbeddedStack['newWorkspace']>>['api'], ws: string, runId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await api.getRun(ws, runId);
    if (['completed', 'failed', 'cancelled'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('canary secrets never leave where they belong', () => {
  it('are absent from logs, Redis, the SQLite file bytes and run records after runs used them', async () => {
    const { ws, apiKey, api } = await stack.newWorkspace('canary');
    const extraKey = await api.createApiKey(ws, { name: 'second key' });
    const closedPort = await freePort();
    // Credentials are bound to the hosts they may be sent to: the sink, and the closed port of the failing request.
    const allowedHosts = [new URL(sink.url).origin, `http://127.0.0.1:${closedPort}`];
    const bearer = await api.createCredential(ws, { name: 'bearer', type: 'http_bearer', data: { token: CANARIES.bearer }, allowedHosts });
    const header = await api.createCredential(ws, { name: 'header', type: 'http_header', data: { name: 'X-Api-Key', value: CANARIES.header }, allowedHosts });
    await api.createCredential(ws, { name: 'generic', type: 'generic', data: { password: CANARIES.generic } });
    const hookSecret = await api.createCredential(ws, { name: 'hook secret', type: 'webhook_secret', data: { secrets: [CANARIES.webhookHeader] } });

    const wf = await api.createWorkflow(ws, {
      name: `uses secrets ${VISIBLE}`,
      triggers: [
        { id: 'signed', type: 'webhook', config: { auth: { type: 'hmac' } } },
        { id: 'token', type: 'webhook', config: { auth: { type: 'header', headerName: 'X-Token', credentialId: hookSecret.id }, includeHeaders: ['x-request-source'] } },
      ],
      nodes: [
        { id: 't1', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'signed' } },
        { id: 't2', type: 'trigger', position: { x: 0, y: 200 }, data: { triggerId: 'token' } },
        { id: 'bearer', type: 'http-request', position: { x: 200, y: 0 }, data: { method: 'POST', url: `${sink.url}/bearer`, credentialId: bearer.id, bodyType: 'json', body: { n: '{{ input.body.n }}' } } },
        { id: 'header', type: 'http-request', position: { x: 400, y: 0 }, data: { method: 'GET', url: `${sink.url}/header`, credentialId: header.id } },
        { id: 'failing', type: 'http-request', position: { x: 600, y: 0 }, data: { method: 'GET', url: `http://127.0.0.1:${closedPort}/down`, credentialId: bearer.id, timeout: 2000 }, settings: { continueOnFail: true, retry: { maxRetries: 0 } } },
      ],
      edges: [
        { id: 'e1', source: 't1', target: 'bearer' },
        { id: 'e2', source: 't2', target: 'bearer' },
        { id: 'e3', source: 'bearer', target: 'header' },
        { id: 'e4', source: 'header', target: 'failing' },
      ],
      settings: { concurrency: 10 },
    });
    const rotated = await api.rotateTriggerSecret(ws, wf.id, 'signed');
    await api.activateWorkflow(ws, wf.id);
    await new Promise((r) => setTimeout(r, 200)); // the listener reloads its index every 50 ms

    const runIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const body = JSON.stringify({ n });
      const id = `msg_${randomUUID()}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = await fetch(`${stack.baseUrl}/webhook/${ws}/signed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(rotated.secret, id, timestamp, body) },
        body,
      });
      expect(signed.status).toBe(202);
      runIds.push(((await signed.json()) as { runId: string }).runId);
      const token = await fetch(`${stack.baseUrl}/webhook/${ws}/token`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-token': CANARIES.webhookHeader, 'x-request-source': 'test' }, body });
      expect(token.status).toBe(202);
      runIds.push(((await token.json()) as { runId: string }).runId);
    }
    // Wrong secrets and keys are refused, and must not be logged either.
    expect((await fetch(`${stack.baseUrl}/webhook/${ws}/token`, { method: 'POST', headers: { 'x-token': `${CANARIES.webhookHeader}x` }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/api/workspaces/${ws}/workflows`, { headers: { authorization: `Bearer ${extraKey.apiKey}x` } })).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/api/workspaces/${ws}/workflows`, { headers: { authorization: `Bearer ${extraKey.apiKey}` } })).status).toBe(200);

    const runs = await Promise.all(runIds.map((id) => waitTerminal(api, ws, id)));
    expect(runs.map((r) => r.status)).toEqual(runIds.map(() => 'completed'));
    // Positive controls: the secrets were really used.
    const bearerCalls = sink.requests.filter((r) => r.url === '/bearer');
    expect(bearerCalls).toHaveLength(6);
    expect(bearerCalls.every((r) => r.headers.authorization === `Bearer ${CANARIES.bearer}`)).toBe(true);
    expect(sink.requests.filter((r) => r.url === '/header').every((r) => r.headers['x-api-key'] === CANARIES.header)).toBe(true);
    expect(runs.every((r) => r.steps.some((s) => s.nodeId === 'failing' && s.status === 'failed'))).toBe(true);

    const secrets = { ...CANARIES, rotatedSigningSecret: rotated.secret, workspaceKey: apiKey, secondKey: extraKey.apiKey };
    const places: Record<string, string> & { logs: string; redis: string } = {
      logs: stack.logs.join(''),
      redis: await dumpRedis(),
      'run records': JSON.stringify(await Promise.all(runIds.map((id) => api.getRun(ws, id)))) + JSON.stringify(await api.listRuns(ws)),
      'API answers': JSON.stringify([await api.listCredentials(ws), await api.listApiKeys(ws), await api.getWorkflow(ws, wf.id), await api.getTrigger(ws, wf.id, 'signed')]),
    };
    await stack.store.close(); // flush: the WAL is checkpointed into the file
    for (const file of ['outrun.db', 'outrun.db-wal']) {
      const path = join(dir, file);
      if (existsSync(path)) places[file] = readFileSync(path).toString('latin1');
    }
    expect(places.logs.length).toBeGreaterThan(2000);
    expect(places.redis.length).toBeGreaterThan(100);
    expect(places['outrun.db']!.length).toBeGreaterThan(10_000);
    expect(places['outrun.db']! + (places['outrun.db-wal'] ?? '')).toContain(VISIBLE);
    expect(places.redis).toContain(runIds[0]);
    const leaks = Object.entries(places).flatMap(([where, text]) => Object.entries(secrets).filter(([, value]) => text.includes(value)).map(([name]) => `${name} in ${where}`));
    expect(leaks).toEqual([]);
  });
});
