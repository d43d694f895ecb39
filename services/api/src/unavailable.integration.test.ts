import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

describe('a dependency is down', () => {
  it('answers 503 and accepts nothing when the queue refuses a manual run', async () => {
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('q', 'q-manual'));
    // a closed queue refuses every enqueue, like a queue whose Redis is gone
    await h.deps.queue.close();
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows/${wf.id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_QUEUE_UNAVAILABLE');
    expect((await h.api.listRuns(h.ws, { workflowId: wf.id })).items).toEqual([]);
    const ready = await h.fetch('/readyz');
    expect(await ready.json()).toMatchObject({ status: 'down', checks: { queue: { status: 'down' } } });
  });

  it('reports the store down on /readyz and 503 on routes, without a stack', async () => {
    const down = await startApi();
    await down.temp.store.close();
    const ready = await down.fetch('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'down', checks: { store: { status: 'down' }, queue: { status: 'ok' } } });
    const res = await down.fetch(`/api/workspaces/${down.ws}/workflows`);
    const text = await res.text();
    expect(res.status, text).toBe(503);
    expect(text).toContain('OUT_ERR_STORE_UNAVAILABLE');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    await down.close();
  });
});
