/**
 * The set-up both event-source suites share: per test a temp SQLite store and workspace, the listener with the
 * suite's connectors, the runs event-source triggers recorded, a stand-in for runners, and teardown after each
 * test (the listener, the test's own cleanups in reverse order, the store).
 */
import { afterEach } from 'vitest';
import type { Connector, NetworkGuard } from '@outrun/connector-kit';
import type { RunSummary } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { startListener, type RunningListener } from './fixtures';

export interface EventSourceFixture {
  /** A fresh store (removed after the test) and a workspace in it. */
  setup(name: string): Promise<{ store: Store; ws: string }>;
  /** Starts a listener with the suite's connectors; the last one started is closed after the test. */
  listen(store: Store, options?: { networkGuard?: NetworkGuard }): Promise<RunningListener>;
  /** Closes the running listener now (a restart mid-stream: events go on arriving while it is down). */
  stopListener(): Promise<void>;
  /** Runs after the test, before the store is removed (most recent first). */
  onCleanup(cleanup: () => Promise<void> | void): void;
  /** Every run of an event-source trigger in the workspace, newest first. */
  sourceRuns(store: Store, ws: string): Promise<RunSummary[]>;
  /** Stands in for runners (none runs here): takes queued runs, so back-pressure lets the source go on. */
  takeQueuedRuns(store: Store, ws: string): void;
}

/** Registers the teardown (`afterEach`) of the calling suite and returns its fixture. */
export function useEventSourceFixture(connectors: readonly Connector[]): EventSourceFixture {
  let temp: TempSqliteStore | undefined;
  let running: RunningListener | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    await running?.close();
    running = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await temp?.cleanup();
    temp = undefined;
  });

  async function sourceRuns(store: Store, ws: string): Promise<RunSummary[]> {
    const items: RunSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.runs.listRuns(ws, { limit: 500, ...(cursor ? { cursor } : {}) });
      items.push(...page.items.filter((r) => r.triggeredBy.type === 'event_source'));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  return {
    async setup(name) {
      temp = await createTempSqliteStore();
      const ws = (await temp.store.workspaces.createWorkspace({ name })).id;
      return { store: temp.store, ws };
    },
    async listen(store, options = {}) {
      running = await startListener({ store, connectors, ...options });
      return running;
    },
    async stopListener() {
      await running?.close();
      running = undefined;
    },
    onCleanup: (cleanup) => void cleanups.push(cleanup),
    sourceRuns,
    takeQueuedRuns(store, ws) {
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          for (const run of await sourceRuns(store, ws)) if (run.status === 'queued') await store.runs.markRunning(ws, run.id, { attempt: 1, at: new Date().toISOString() });
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      cleanups.push(async () => {
        stopped = true;
        await loop;
      });
    },
  };
}
