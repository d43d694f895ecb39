/**
 * docs/connectors.md's example connector, built as written: the ```ts guide-example block is extracted into a
 * temporary module, imported, and run against a local HTTP server through the real SSRF-guarded client.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@outrun/nodes';
import { describeConnector, type Connector } from './index';
import { runAction } from './testing';

const seen: Array<{ url: string; auth: string | undefined; key: string | undefined; body: unknown }> = [];
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization, key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'c-1', ...(JSON.parse(raw) as object) }));
  });
});
const http = createHttpClient({ allowList: ['127.0.0.1'] });
let dir = '';
let connector: Connector;
let baseUrl = '';

beforeAll(async () => {
  const doc = await readFile(fileURLToPath(new URL('../../../docs/connectors.md', import.meta.url)), 'utf8');
  const code = /```ts guide-example\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!code) throw new Error('docs/connectors.md has no ```ts guide-example block');
  // Inside the package so the example's imports resolve like in a real connector package.
  dir = await mkdtemp(join(fileURLToPath(new URL('.', import.meta.url)), '.guide-'));
  await writeFile(join(dir, 'index.ts'), code);
  connector = ((await import(pathToFileURL(join(dir, 'index.ts')).href)) as { default: Connector }).default;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the guide example connector', () => {
  it('is a valid connector with a generated form and a secret field', () => {
    const described = describeConnector(connector);
    expect(described).toMatchObject({ name: 'acme-crm', version: '1.0.0', major: 1, credentials: [{ type: 'acme-crm.apiKey', secretFields: ['apiKey'] }] });
    expect(described.actions[0]!.nodeType).toBe('acme-crm.createContact@1');
    expect(Object.keys((described.actions[0]!.paramsSchema as { properties: object }).properties)).toEqual(['email', 'name', 'credentialId']);
  });

  it('runs: the credential reaches the API, the idempotency key is sent, the secret never reaches the log', async () => {
    const result = await runAction(connector, 'createContact', { http, runId: 'run-g', credential: { apiKey: 'sk-guide-secret-123', baseUrl }, params: { email: 'ada@example.test', name: 'Ada' } });
    expect(result.output).toEqual({ id: 'c-1', email: 'ada@example.test', name: 'Ada' });
    expect(seen.at(-1)).toEqual({ url: '/contacts', auth: 'Bearer sk-guide-secret-123', key: 'run-g:node-1:1', body: { email: 'ada@example.test', name: 'Ada' } });
    expect(JSON.stringify(result.logs)).not.toContain('sk-guide-secret-123');
  });

  it('rejects bad params like a built-in node', async () => {
    await expect(runAction(connector, 'createContact', { http, credential: { apiKey: 'sk-guide-secret-123', baseUrl }, params: { email: 'not-an-email' } })).rejects.toMatchObject({ code: 'OUT_ERR_INVALID_NODE_PARAMS' });
  });
});
