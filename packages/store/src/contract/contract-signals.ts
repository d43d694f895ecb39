import { expect, it } from 'vitest';
import { at, manual, seedWorkflow, type ContractContext } from './harness';

/** Waiting runs: the signal they wait for, one delivery per wait (compare-and-set), the index, parent links. */
export function signalCases(c: ContractContext): void {
  it('a waiting run names its signal; one delivery wins, keeps its payload until the next park; events find runs by it', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const mk = async () => {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
      await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
      return run.id;
    };
    const [a, b, other] = [await mk(), await mk(), await mk()];
    await c.store.runs.parkRun(workspaceId, a, at(60_000), 'event:order:42');
    await c.store.runs.parkRun(workspaceId, b, at(60_000), 'event:order:42');
    await c.store.runs.parkRun(workspaceId, other, at(60_000));
    expect(await c.store.runs.getRun(workspaceId, a)).toMatchObject({ waitingFor: 'event:order:42', resumeAt: at(60_000) });
    expect((await c.store.runs.getRun(workspaceId, other))?.waitingFor).toBeUndefined();
    expect((await c.store.runs.listRunsWaitingFor(workspaceId, 'event:order:42')).sort()).toEqual([a, b].sort());
    expect(await c.store.runs.listRunsWaitingFor(workspaceId, 'event:order:43')).toEqual([]);
    expect(await c.store.runs.listRunsWaitingFor('another-workspace', 'event:order:42')).toEqual([]);

    // Wrong signal: nothing changes. Two concurrent deliveries: exactly one wins.
    expect(await c.store.runs.deliverSignal(workspaceId, a, { signal: 'event:order:43', payload: 1, at: at(1000) })).toBe(false);
    const wins = await Promise.all([1, 2].map((n) => c.store.runs.deliverSignal(workspaceId, a, { signal: 'event:order:42', payload: { n, 'a.b': { $x: 1 } }, at: at(1000) })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const delivered = await c.store.runs.getRun(workspaceId, a);
    expect(delivered).toMatchObject({ status: 'running', resumeAt: at(1000) });
    expect(delivered?.waitingFor).toBeUndefined();
    const payload = await c.store.runs.getSignalPayload(workspaceId, a);
    expect(payload?.signal).toBe('event:order:42');
    expect((payload?.payload as { 'a.b': unknown })['a.b']).toEqual({ $x: 1 });
    expect(await c.store.runs.listRunsWaitingFor(workspaceId, 'event:order:42')).toEqual([b]);

    // Resumed: the payload stays readable while the run runs; a new park clears it.
    await c.store.runs.markRunning(workspaceId, a, { attempt: 1, at: at(1001) });
    expect((await c.store.runs.getSignalPayload(workspaceId, a))?.signal).toBe('event:order:42');
    await c.store.runs.parkRun(workspaceId, a, at(90_000), 'approval:n1');
    expect(await c.store.runs.getSignalPayload(workspaceId, a)).toBeUndefined();

    // A finished run no longer waits.
    await c.store.runs.finishRun(workspaceId, b, { status: 'failed', at: at(2000) });
    expect(await c.store.runs.deliverSignal(workspaceId, b, { signal: 'event:order:42', payload: null, at: at(3000) })).toBe(false);
    expect(await c.store.runs.listRunsWaitingFor(workspaceId, 'event:order:42')).toEqual([]);
  });

  it('a child run records the run and step that started it', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual(), parentRunId: 'parent-1', parentStepId: 'call' });
    expect(run).toMatchObject({ parentRunId: 'parent-1', parentStepId: 'call' });
    expect(await c.store.runs.getRun(workspaceId, run.id)).toMatchObject({ parentRunId: 'parent-1', parentStepId: 'call' });
    const page = await c.store.runs.listRuns(workspaceId);
    expect(page.items[0]).toMatchObject({ parentRunId: 'parent-1', parentStepId: 'call' });
    await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    expect((await c.store.runs.listRuns(workspaceId, { parentRunId: 'parent-1' })).items.map((r) => r.id)).toEqual([run.id]);
    expect((await c.store.runs.listRuns(workspaceId, { parentRunId: 'parent-2' })).items).toEqual([]);
  });
}
