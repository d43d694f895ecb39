import { expect, it } from 'vitest';
import { at, collectPages, manual, seedWorkflow, workflowInput, type ContractContext } from './harness';

/** Run lifecycle: idempotency, running, steps, terminal states, cancel, discard, park. */
export function runCases(c: ContractContext): void {
  it('creates a queued run; the same idempotency key returns the first run (created: false)', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const input = { workflowId, workflowVersion: 1, triggeredBy: manual({ n: 1 }), idempotencyKey: 'evt-1' };
    const first = await c.store.runs.createRun(workspaceId, input);
    expect(first.created).toBe(true);
    expect(first.run).toMatchObject({ workspaceId, workflowId, workflowVersion: 1, status: 'queued', attempt: 1, steps: [], idempotencyKey: 'evt-1' });
    expect(first.run.usage).toMatchObject({ aiTokensUsed: 0, estimatedCost: 0, webhooksCalled: 0 });
    const again = await Promise.all([c.store.runs.createRun(workspaceId, input), c.store.runs.createRun(workspaceId, { ...input, triggeredBy: manual({ n: 2 }) })]);
    expect(again.map((r) => [r.created, r.run.id])).toEqual([
      [false, first.run.id],
      [false, first.run.id],
    ]);
    expect((await c.store.runs.listRuns(workspaceId)).items).toHaveLength(1);
    const other = await c.store.runs.createRun(workspaceId, { ...input, idempotencyKey: 'evt-2' });
    expect(other.created).toBe(true);
    expect(await c.store.runs.getRun(workspaceId, first.run.id)).toEqual(first.run);
  });

  it('an expired idempotency key starts a new run', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const input = { workflowId, workflowVersion: 1, triggeredBy: manual(), idempotencyKey: 'short', idempotencyTtlMs: 1 };
    const first = await c.store.runs.createRun(workspaceId, input);
    const deadline = Date.now() + 5000;
    let second = await c.store.runs.createRun(workspaceId, input);
    while (!second.created && Date.now() < deadline) second = await c.store.runs.createRun(workspaceId, input);
    expect(second.created).toBe(true);
    expect(second.run.id).not.toBe(first.run.id);
  });

  it('marks running, records steps in order, finishes once; terminal states never change', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    const running = await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    expect(running).toMatchObject({ status: 'running', startedAt: at(0), attempt: 1 });
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'a', nodeType: 'http', attempt: 1, startedAt: at(10), input: { q: 1 } });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: 'failed', attempt: 1, finishedAt: at(20), duration: 10, error: { code: 'OUT_ERR_HTTP_STATUS', message: '500' } });
    // node-level retry: the same node starts again; the step is replaced, not duplicated
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'a', nodeType: 'http', attempt: 2, startedAt: at(30), input: { q: 1 } });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: 'completed', attempt: 2, finishedAt: at(40), duration: 10, output: { ok: true }, handle: 'main' });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'b', nodeType: 'condition', status: 'skipped', attempt: 1, finishedAt: at(41), duration: 0 });
    // start and finish in one write (a step that finished within the tick it started): the input comes with the finish
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'c', nodeType: 'set', startedAt: at(42), status: 'completed', attempt: 1, finishedAt: at(42), duration: 0, input: { x: 1 }, output: { x: 2 } });
    const usage = { aiTokensUsed: 12, estimatedCost: 0.5, webhooksCalled: 1, unpricedCalls: 0 };
    expect(await c.store.runs.finishRun(workspaceId, run.id, { status: 'completed', output: { done: 1 }, usage, response: { status: 200, headers: {}, body: 'ok' }, at: at(100) })).toBe(true);
    const done = await c.store.runs.getRun(workspaceId, run.id);
    expect(done).toMatchObject({ status: 'completed', finishedAt: at(100), output: { done: 1 }, usage, response: { status: 200, body: 'ok' } });
    expect(done?.steps).toEqual([
      { nodeId: 'a', nodeType: 'http', status: 'completed', attempt: 2, startedAt: at(30), finishedAt: at(40), duration: 10, input: { q: 1 }, output: { ok: true }, handle: 'main' },
      { nodeId: 'b', nodeType: 'condition', status: 'skipped', attempt: 1, startedAt: at(41), finishedAt: at(41), duration: 0 },
      { nodeId: 'c', nodeType: 'set', status: 'completed', attempt: 1, startedAt: at(42), finishedAt: at(42), duration: 0, input: { x: 1 }, output: { x: 2 } },
    ]);

    expect(await c.store.runs.finishRun(workspaceId, run.id, { status: 'failed', at: at(200) })).toBe(false);
    expect(await c.store.runs.markRunning(workspaceId, run.id, { attempt: 2, at: at(300) })).toBeNull();
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'late', nodeType: 'http', attempt: 1, startedAt: at(300) });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: 'failed', attempt: 3, finishedAt: at(300), duration: 1 });
    const cancelled = await c.store.runs.cancelRun(workspaceId, run.id, at(300));
    expect(cancelled).toEqual(done);
    expect(await c.store.runs.getRun(workspaceId, run.id)).toEqual(done);
    expect(await c.store.runs.discardRun(workspaceId, run.id)).toBe(false);
    expect(await c.store.runs.markRunning(workspaceId, 'missing', { attempt: 1, at: at(0) })).toBeNull();
    expect(await c.store.runs.finishRun(workspaceId, 'missing', { status: 'completed', at: at(0) })).toBe(false);
    expect(await c.store.runs.cancelRun(workspaceId, 'missing', at(0))).toBeNull();
  });

  it('a step reads back exactly as written (the shared step codec): JSON null, falsy values, error details, usage', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const error = { code: 'OUT_ERR_VALIDATION', message: 'bad', nodeId: 'n', retriable: false, details: [{ path: 'a.b', message: 'required' }] };
    const usage = { model: 'gpt-x', inputTokens: 3, cachedInputTokens: 0, outputTokens: 4, totalTokens: 7, cost: null, webhooksCalled: 0 };
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'n', nodeType: 'ai-agent', attempt: 1, startedAt: at(1), input: null });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'n', status: 'failed', attempt: 1, finishedAt: at(2), duration: 1, output: null, handle: '', error, usage });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'z', nodeType: 'set', startedAt: at(3), status: 'completed', attempt: 1, finishedAt: at(3), duration: 0, input: 0, output: false });
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'open', nodeType: 'http', attempt: 1, startedAt: at(4) });
    expect((await c.store.runs.getRun(workspaceId, run.id))?.steps).toEqual([
      { nodeId: 'n', nodeType: 'ai-agent', status: 'failed', attempt: 1, startedAt: at(1), finishedAt: at(2), duration: 1, input: null, output: null, handle: '', error, usage },
      { nodeId: 'z', nodeType: 'set', status: 'completed', attempt: 1, startedAt: at(3), finishedAt: at(3), duration: 0, input: 0, output: false },
      { nodeId: 'open', nodeType: 'http', status: 'running', attempt: 1, startedAt: at(4) },
    ]);
  });

  it('concurrent step writers never lose a step', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const nodes = Array.from({ length: 40 }, (_, i) => `n${i}`);
    await Promise.all(nodes.map((nodeId) => c.store.runs.recordStepStart(workspaceId, run.id, { nodeId, nodeType: 'noop', attempt: 1, startedAt: at(1) })));
    await Promise.all(nodes.map((nodeId) => c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId, status: 'completed', attempt: 1, finishedAt: at(2), duration: 1, output: nodeId })));
    const steps = (await c.store.runs.getRun(workspaceId, run.id))?.steps ?? [];
    expect(steps.map((s) => s.nodeId).sort()).toEqual([...nodes].sort());
    expect(steps.every((s) => s.status === 'completed' && s.output === s.nodeId)).toBe(true);
  });

  it('cancels queued and running runs, discards only queued ones (releasing the idempotency key), parks and lists unfinished runs', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const mk = (key?: string) => c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual(), ...(key ? { idempotencyKey: key } : {}) });
    const queued = (await mk('k1')).run;
    const running = (await mk()).run;
    const parked = (await mk()).run;
    await c.store.runs.markRunning(workspaceId, running.id, { attempt: 1, at: at(0) });
    await c.store.runs.markRunning(workspaceId, parked.id, { attempt: 1, at: at(0) });
    await c.store.runs.parkRun(workspaceId, parked.id, at(60_000));
    expect(await c.store.runs.getRun(workspaceId, parked.id)).toMatchObject({ status: 'running', resumeAt: at(60_000) });
    const unfinished = (await c.store.runs.listUnfinishedRuns()).filter((r) => r.workspaceId === workspaceId);
    expect(unfinished.map((r) => r.runId).sort()).toEqual([queued.id, running.id, parked.id].sort());
    expect(unfinished.find((r) => r.runId === parked.id)).toMatchObject({ status: 'running', resumeAt: at(60_000) });
    const resumed = await c.store.runs.markRunning(workspaceId, parked.id, { attempt: 1, at: at(60_001) });
    expect(resumed?.resumeAt).toBeUndefined();
    expect(resumed?.startedAt).toBe(at(0));

    expect(await c.store.runs.discardRun(workspaceId, running.id)).toBe(false);
    expect(await c.store.runs.discardRun(workspaceId, queued.id)).toBe(true);
    expect(await c.store.runs.getRun(workspaceId, queued.id)).toBeNull();
    expect((await mk('k1')).created).toBe(true);

    const cancelled = await c.store.runs.cancelRun(workspaceId, running.id, at(5000));
    expect(cancelled).toMatchObject({ status: 'cancelled', finishedAt: at(5000), error: { code: 'OUT_ERR_RUN_CANCELLED' } });
    expect(await c.store.runs.finishRun(workspaceId, running.id, { status: 'completed', at: at(6000) })).toBe(false);
    expect((await c.store.runs.getWorkflowStats(workspaceId, workflowId)).totalRuns).toBe(1);
  });

  it('records a run staged ahead of its start (resumeAt): listed as unfinished with it, cleared once running', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual(), resumeAt: '2026-01-01T00:00:01+00:00' });
    expect(run).toMatchObject({ status: 'queued', resumeAt: '2026-01-01T00:00:01.000Z' });
    expect(await c.store.runs.getRun(workspaceId, run.id)).toEqual(run);
    expect((await c.store.runs.listUnfinishedRuns()).find((r) => r.runId === run.id)).toMatchObject({ status: 'queued', resumeAt: '2026-01-01T00:00:01.000Z' });
    expect((await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(1000) }))?.resumeAt).toBeUndefined();
    await expect(c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual(), resumeAt: 'soon' })).rejects.toMatchObject({ code: 'OUT_ERR_VALIDATION' });
  });

  it('stores oversized step inputs/outputs and run outputs as a truncation marker with the original size', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const big = { blob: 'x'.repeat(300 * 1024) };
    const bytes = Buffer.byteLength(JSON.stringify(big));
    await c.store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'a', nodeType: 'code', attempt: 1, startedAt: at(1), input: big });
    await c.store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: 'completed', attempt: 1, finishedAt: at(2), duration: 1, output: big });
    await c.store.runs.finishRun(workspaceId, run.id, { status: 'completed', output: big, at: at(3) });
    const got = await c.store.runs.getRun(workspaceId, run.id);
    for (const value of [got?.steps[0]?.input, got?.steps[0]?.output, got?.output]) {
      expect(value).toMatchObject({ __truncated: true, originalBytes: bytes });
      expect((value as { preview: string }).preview.startsWith('{"blob":"xxx')).toBe(true);
      expect(JSON.stringify(value).length).toBeLessThan(4096);
    }
  });

  it('lists runs newest first with filters and stable cursor pagination', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const other = await c.store.workflows.createWorkflow(workspaceId, workflowInput({ name: 'other' })); // trigger ids are unique per workspace
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const wf = i % 3 === 0 ? other.id : workflowId;
      const triggeredBy = i % 2 === 0 ? manual() : { type: 'webhook' as const, source: '/webhook/x', payload: {} };
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId: wf, workflowVersion: 1, triggeredBy, id: `run-${String(i).padStart(2, '0')}` });
      ids.push(run.id);
      if (i % 4 === 0) await c.store.runs.finishRun(workspaceId, run.id, { status: 'failed', at: at(i) });
    }
    const pages = await collectPages((cursor) => c.store.runs.listRuns(workspaceId, cursor === undefined ? { limit: 5 } : { limit: 5, cursor }));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    const all = pages.flat();
    expect(new Set(all.map((r) => r.id))).toEqual(new Set(ids));
    const keys = all.map((r) => `${r.queuedAt}|${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(all.every((r) => !('steps' in r))).toBe(true);

    const byWf = await c.store.runs.listRuns(workspaceId, { workflowId: other.id });
    expect(byWf.items.map((r) => r.id).sort()).toEqual(['run-00', 'run-03', 'run-06', 'run-09']);
    const failed = await c.store.runs.listRuns(workspaceId, { status: 'failed' });
    expect(failed.items.map((r) => r.id).sort()).toEqual(['run-00', 'run-04', 'run-08']);
    const failedOther = await c.store.runs.listRuns(workspaceId, { workflowId: other.id, status: 'failed' });
    expect(failedOther.items.map((r) => r.id)).toEqual(['run-00']);
    const hooks = await c.store.runs.listRuns(workspaceId, { triggerType: 'webhook' });
    expect(hooks.items).toHaveLength(6);
    const first = all.at(-1)!;
    const none = await c.store.runs.listRuns(workspaceId, { to: new Date(Date.parse(first.queuedAt) - 1).toISOString() });
    expect(none.items).toEqual([]);
    const window = await c.store.runs.listRuns(workspaceId, { from: first.queuedAt, to: all[0]!.queuedAt });
    expect(window.items).toHaveLength(12);
  });
}
