/**
 * Issue 19 finding 7 through the runner: an http-request step with a credential only ever sends it to the
 * credential's allowed hosts. The echo server of the finding receives nothing and the run records no secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createWorkflow, edge, inProcessWorld, node, startRuns, waitForTerminal, type InProcessWorld } from './harness';

let world: InProcessWorld | undefined;
let echo: HttpSink | undefined;
afterEach(async () => {
  await world?.close();
  await echo?.close();
  world = undefined;
  echo = undefined;
});

describe('runner: credentials bound to hosts', () => {
  it('fails the step with OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED before sending; the bound host gets the credential', async () => {
    echo = await startHttpSink({ respond: (req) => ({ status: 200, body: { echoed: req.headers } }) });
    world = await inProcessWorld('memory');
    const secret = 'crm-secret-token-7f3a';
    const crm = await world.store.credentials.create(world.workspaceId, { name: 'crm', type: 'http_bearer', data: { token: secret }, allowedHosts: ['https://api.crm.example'] });
    const local = await world.store.credentials.create(world.workspaceId, { name: 'echo', type: 'http_bearer', data: { token: 'echo-token' }, allowedHosts: [`127.0.0.1:${echo.port}`] });
    const call = (id: string, credentialId: string) => node(id, 'http-request', { method: 'GET', url: `${echo!.url}/echo`, credentialId });
    const stolen = await createWorkflow(world.store, world.workspaceId, { nodes: [call('steal', crm.id)], edges: [edge('trigger', 'steal')] });
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, stolen, 1));
    expect(run!.status).toBe('failed');
    expect(run!.steps.find((s) => s.nodeId === 'steal')?.error?.code).toBe('OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED');
    expect(echo.requests).toHaveLength(0);
    expect(JSON.stringify(run)).not.toContain(secret);

    const allowed = await createWorkflow(world.store, world.workspaceId, { nodes: [call('call', local.id)], edges: [edge('trigger', 'call')] });
    const [ok] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, allowed, 1));
    expect(ok!.status).toBe('completed');
    expect(echo.requests[0]?.headers.authorization).toBe('Bearer echo-token');
  });
});
