import { WorkflowInput, type TriggeredBy, type WorkflowInputRaw } from '@outrun/schemas';
import type { Store } from '../ports';

/** What a contract-suite factory returns for one test. */
export interface StoreFixture {
  store: Store;
  /** Closes the store and opens the same database again (restart tests). Cases that need it are skipped without. */
  reopen?: () => Promise<Store>;
  /** Every byte the adapter persisted (database files, or a dump of the collections), for the plain-text canary check. */
  rawBytes?: () => Promise<Buffer>;
  cleanup: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreFixture>;

/** Access to the fixture of the running test. */
export interface ContractContext {
  readonly store: Store;
  readonly fixture: StoreFixture;
}

let triggerSeq = 0;

/**
 * A valid workflow input (defaults applied), with optional overrides of the raw input. Its trigger id is fresh per
 * call (`t1`, `t2`, …): trigger ids are unique per workspace (a unique index in each adapter).
 */
export function workflowInput(overrides: Partial<WorkflowInputRaw> = {}): WorkflowInput {
  const triggerId = `t${++triggerSeq}`;
  return WorkflowInput.parse({
    name: 'Lead router',
    nodes: [{ id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } }],
    triggers: [{ id: triggerId, type: 'manual' }],
    ...overrides,
  });
}

/** A manual trigger with a payload. */
export const manual = (payload: unknown = { hello: 'world' }): TriggeredBy => ({ type: 'manual', source: 'api', payload: payload as TriggeredBy['payload'] });

/** ISO instant `ms` after 2026-01-01T00:00:00Z. */
export const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

/** Collects every item of a paginated list by following `nextCursor`. */
export async function collectPages<T>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await fetch(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** Creates a workspace and a workflow in it. */
export async function seedWorkflow(store: Store, name = 'ws'): Promise<{ workspaceId: string; workflowId: string }> {
  const ws = await store.workspaces.createWorkspace({ name });
  const wf = await store.workflows.createWorkflow(ws.id, workflowInput());
  return { workspaceId: ws.id, workflowId: wf.id };
}
