import { expect, it } from 'vitest';
import { at, manual, seedWorkflow, type ContractContext } from './harness';

/** Workspace AI settings (price overrides, content tracing) and the run's trace id. */
export function aiSettingsCases(c: ContractContext): void {
  it('puts, replaces, lists (by model) and deletes price overrides per workspace', async () => {
    const a = await c.store.workspaces.createWorkspace({ name: 'A' });
    const b = await c.store.workspaces.createWorkspace({ name: 'B' });
    expect(await c.store.aiSettings.listPriceOverrides(a.id)).toEqual([]);
    const mini = await c.store.aiSettings.putPriceOverride(a.id, 'gpt-5.4-mini', { input: 0.5, cachedInput: 0.05, output: 3, note: 'contract #42' });
    expect(mini).toMatchObject({ model: 'gpt-5.4-mini', input: 0.5, cachedInput: 0.05, output: 3, note: 'contract #42' });
    expect(Date.parse(mini.updatedAt)).not.toBeNaN();
    await c.store.aiSettings.putPriceOverride(a.id, 'llama3.1:8b', { input: 0, output: 0 });
    await c.store.aiSettings.putPriceOverride(a.id, 'openai/gpt-5', { input: 1, output: 8 });
    const replaced = await c.store.aiSettings.putPriceOverride(a.id, 'gpt-5.4-mini', { input: 0.4, output: 2.5 });
    expect(replaced).not.toHaveProperty('cachedInput');
    expect(replaced).not.toHaveProperty('note');

    const listed = await c.store.aiSettings.listPriceOverrides(a.id);
    expect(listed.map((o) => o.model)).toEqual(['gpt-5.4-mini', 'llama3.1:8b', 'openai/gpt-5']);
    expect(listed[0]).toEqual(replaced);
    expect(listed[1]).toMatchObject({ input: 0, output: 0 });
    // Another workspace sees none of them and cannot delete them.
    expect(await c.store.aiSettings.listPriceOverrides(b.id)).toEqual([]);
    expect(await c.store.aiSettings.deletePriceOverride(b.id, 'gpt-5.4-mini')).toBe(false);
    expect(await c.store.aiSettings.deletePriceOverride(a.id, 'gpt-5.4-mini')).toBe(true);
    expect(await c.store.aiSettings.deletePriceOverride(a.id, 'gpt-5.4-mini')).toBe(false);
    expect((await c.store.aiSettings.listPriceOverrides(a.id)).map((o) => o.model)).toEqual(['llama3.1:8b', 'openai/gpt-5']);
  });

  it('content tracing is off until a workspace turns it on, per workspace', async () => {
    const a = await c.store.workspaces.createWorkspace({ name: 'A' });
    const b = await c.store.workspaces.createWorkspace({ name: 'B' });
    expect(await c.store.aiSettings.getAiSettings(a.id)).toEqual({ traceContent: false });
    expect(await c.store.aiSettings.setAiSettings(a.id, { traceContent: true })).toEqual({ traceContent: true });
    expect(await c.store.aiSettings.getAiSettings(a.id)).toEqual({ traceContent: true });
    expect(await c.store.aiSettings.getAiSettings(b.id)).toEqual({ traceContent: false });
    await c.store.aiSettings.setAiSettings(a.id, { traceContent: false });
    expect(await c.store.aiSettings.getAiSettings(a.id)).toEqual({ traceContent: false });
  });

  it('a run keeps the trace id of its first start; without one it has none', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const traced = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    const plain = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    const first = 'a'.repeat(32);
    expect(await c.store.runs.markRunning(workspaceId, traced.id, { attempt: 1, at: at(0), traceId: first })).toMatchObject({ traceId: first });
    await c.store.runs.markRunning(workspaceId, traced.id, { attempt: 2, at: at(10), traceId: 'b'.repeat(32) });
    expect((await c.store.runs.getRun(workspaceId, traced.id))?.traceId).toBe(first);
    expect((await c.store.runs.listRuns(workspaceId)).items.find((r) => r.id === traced.id)?.traceId).toBe(first);
    await c.store.runs.markRunning(workspaceId, plain.id, { attempt: 1, at: at(0) });
    expect(await c.store.runs.getRun(workspaceId, plain.id)).not.toHaveProperty('traceId');
  });
}

/** Unpriced AI calls and tokens roll up apart from the cost: run → workflow → workspace → day. */
export function unpricedRollUpCases(c: ContractContext): void {
  it('counts unpriced calls and tokens per workflow, per workspace and per day, apart from the cost', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const now = new Date();
    const finish = async (usage: { aiTokensUsed: number; estimatedCost: number; unpricedCalls: number; unpricedTokens?: number }) => {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
      await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: now.toISOString() });
      await c.store.runs.finishRun(workspaceId, run.id, { status: 'completed', usage: { webhooksCalled: 0, ...usage }, at: new Date(now.getTime() + 10).toISOString() });
    };
    await finish({ aiTokensUsed: 150, estimatedCost: 0.01, unpricedCalls: 0 });
    await finish({ aiTokensUsed: 300, estimatedCost: 0.02, unpricedCalls: 1, unpricedTokens: 100 });
    await finish({ aiTokensUsed: 250, estimatedCost: 0, unpricedCalls: 2, unpricedTokens: 250 });
    for (const stats of [await c.store.runs.getRunStats(workspaceId, { workflowId, days: 3, now }), await c.store.runs.getRunStats(workspaceId, { days: 3, now })]) {
      expect(stats).toMatchObject({ aiTokensUsed: 700, unpricedCalls: 3, unpricedTokens: 350 });
      expect(stats.estimatedCost).toBeCloseTo(0.03, 12);
      expect(stats.perDay.at(-1)).toMatchObject({ unpricedCalls: 3, unpricedTokens: 350, aiTokensUsed: 700 });
      expect(stats.perDay.at(0)).toMatchObject({ unpricedCalls: 0, unpricedTokens: 0 });
    }
  });
}
