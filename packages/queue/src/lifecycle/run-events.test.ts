import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@outrun/schemas';
import { createMemoryEventBus } from '../memory/index';
import { runEventBus, statusEvent } from './run-events';

describe('runEventBus', () => {
  it('hands subscribers parsed run events only: foreign or malformed messages on the channel are dropped', async () => {
    const raw = createMemoryEventBus();
    const seen: RunEvent[] = [];
    await runEventBus(raw).subscribe('run:r1', (event) => seen.push(event));
    await raw.publish('run:r1', { type: 'status', status: 'running' }); // no ids
    await raw.publish('run:r1', { type: 'status', workspaceId: 'ws', workflowId: 'wf', runId: 'r1', status: 'exploded', at: '2026-01-01T00:00:00.000Z' });
    const good = statusEvent({ id: 'r1', workspaceId: 'ws', workflowId: 'wf' }, 'completed', '2026-01-01T00:00:00.000Z');
    await raw.publish('run:r1', good);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([good]);
    await raw.close();
  });
});
