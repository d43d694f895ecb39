/**
 * The per-workspace part of `services.ai`: the workspace's price overrides as one price table (consulted before
 * the instance file and the catalogue) and its content-tracing opt-in. Read per run attempt, through a short
 * cache so a busy workspace does not pay two store reads per run.
 */
import { systemClock, type Clock } from '@outrun/schemas';
import type { Store } from '@outrun/store';

export interface WorkspaceAi {
  workspacePriceTable?: { version: string; currency: 'USD'; source: string; models: Record<string, { input: number; cachedInput?: number; output: number }> };
  traceContent?: true;
}

const TTL_MS = 1_000;

export function createWorkspaceAiLoader(store: Store, clock: Pick<Clock, 'now'> = systemClock): (workspaceId: string) => Promise<WorkspaceAi> {
  const cache = new Map<string, { at: number; value: Promise<WorkspaceAi> }>();
  const load = async (workspaceId: string): Promise<WorkspaceAi> => {
    const [overrides, settings] = await Promise.all([store.aiSettings.listPriceOverrides(workspaceId), store.aiSettings.getAiSettings(workspaceId)]);
    const result: WorkspaceAi = settings.traceContent ? { traceContent: true } : {};
    if (overrides.length === 0) return result;
    // The table's version is its newest change: a step priced by it can be traced to the prices of that moment.
    const version = overrides.reduce((latest, o) => (o.updatedAt > latest ? o.updatedAt : latest), '');
    const models = Object.fromEntries(overrides.map((o) => [o.model, { input: o.input, output: o.output, ...(o.cachedInput !== undefined ? { cachedInput: o.cachedInput } : {}) }]));
    return { ...result, workspacePriceTable: { version, currency: 'USD', source: 'workspace price overrides', models } };
  };
  return (workspaceId) => {
    const hit = cache.get(workspaceId);
    if (hit && clock.now() - hit.at < TTL_MS) return hit.value;
    const value = load(workspaceId);
    value.catch(() => cache.delete(workspaceId));
    if (cache.size > 10_000) cache.clear();
    cache.set(workspaceId, { at: clock.now(), value });
    return value;
  };
}
