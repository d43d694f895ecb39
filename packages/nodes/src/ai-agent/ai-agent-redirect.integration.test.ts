/**
 * Issue 19 finding 4: a credential's `baseURL` passes the SSRF check, then answers 307/303 towards an internal
 * address. The openai client must follow redirects only through the guarded connector: the second hop is
 * refused (`OUT_ERR_SSRF_BLOCKED`, not retried) and the internal server receives nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { runNode } from '../testing/run-node';
import { aiAgentNode } from './index';
import { leadParams } from './test-support';

let internal: OpenAiServer;
let redirector: Server;
let redirectorHost: string;
let status = 307;

beforeEach(async () => {
  internal = await startOpenAiServer();
  redirector = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { location: `${internal.url}${(req.url ?? '/').replace(/^\/v1/, '')}` }).end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorHost = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => redirector.close(resolve));
  await internal.close();
});

const credentials = () => ({ allowedHosts: () => Promise.resolve([]), get: () => Promise.resolve({ apiKey: 'sk-cred', baseURL: `http://${redirectorHost}/v1` }) });

describe('ai-agent: redirects from a credential base URL go through the SSRF guard', () => {
  it.each([307, 303, 302])('a %i towards a private address is refused at the second hop; the internal server receives nothing', async (code) => {
    status = code;
    internal.script([reply.json({ classification: 'hot_lead', confidence: 1 })]);
    const run = runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials: credentials(), ai: { allowList: [redirectorHost] } } });
    await expect(run).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED', kind: 'user' });
    expect(internal.requests).toHaveLength(0);
  });

  it('follows a redirect to an allowed destination, without the credential once the origin changes', async () => {
    status = 307;
    internal.script([reply.json({ classification: 'hot_lead', confidence: 1 })]);
    const result = await runNode(aiAgentNode, {
      params: leadParams({ credentialId: 'c' }),
      services: { credentials: credentials(), ai: { allowList: [redirectorHost, new URL(internal.url).host] } },
    });
    expect(result.output).toMatchObject({ output: { classification: 'hot_lead' } });
    expect(internal.requests).toHaveLength(1);
    expect(internal.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(internal.requests[0]?.body)).toContain('John Doe from Acme Corp');
  });
});
