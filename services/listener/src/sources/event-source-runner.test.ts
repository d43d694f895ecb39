/**
 * Closing an event source while a delivery is still recording its run: the close waits for it, so the run's
 * `runsStarted` is counted before the listener's last stats flush. (Before, the close returned at once; the count
 * landed after the flush and was lost — seen as a flaky "stats flushed" wait in event-sources-restart.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@outrun/config';
import { systemClock } from '@outrun/engine';
import type { RunLifecycle } from '@outrun/queue';
import { createNetworkGuard, type Connector, type TriggerDefinition } from '@outrun/connector-kit';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { EventSourceRunner } from './event-source-runner';

const silentLogger = createLogger({ name: 'event-source-runner-test', level: 'silent' });
let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('EventSourceRunner.close', () => {
  it('waits for a delivery still recording its run, so the run is counted before the last stats flush', async () => {
    temp = await createTempSqliteStore();
    const ws = await temp.store.workspaces.createWorkspace({ name: 'close' });
    let finishRecording!: () => void;
    const recording = new Promise<void>((resolve) => (finishRecording = resolve));
    let acceptStarted = false;
    // The lifecycle's accept held open: the run is being recorded when the listener stops.
    const lifecycle = {
      accept: async () => {
        acceptStarted = true;
        await recording;
        return { created: true };
      },
    } as unknown as RunLifecycle;
    const trigger: TriggerDefinition = {
      label: 'one event',
      description: 'delivers one event on open',
      params: z.object({}),
      async open(ctx) {
        void ctx.deliver({ id: 'e1', payload: { n: 1 } }).catch(() => undefined);
        return { close: async () => undefined };
      },
    };
    const stats = new TriggerStatsBuffer(temp.store.triggers, silentLogger, 60_000);
    const runner = new EventSourceRunner(
      { workspaceId: ws.id, workflowId: 'wf_close', workflowVersion: 1, triggerId: 'trg_close', config: { source: 'test.one@1', params: {}, capacity: 4 } },
      { connector: {} as Connector, key: 'test.one@1', trigger },
      { store: temp.store, lifecycle, clock: systemClock, stats, logger: silentLogger, networkGuard: createNetworkGuard() },
    );
    runner.start();
    for (let i = 0; i < 200 && !acceptStarted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(acceptStarted).toBe(true);

    let closed = false;
    const closing = runner.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false); // still recording: the close waits
    finishRecording();
    await closing;
    await stats.close(); // the listener's last flush, after its sources closed
    expect((await temp.store.triggers.getTriggerStats(ws.id, 'trg_close')).runsStarted).toBe(1);
  });
});
