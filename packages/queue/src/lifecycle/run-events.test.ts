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

  it('an in-process typed subscriber gets the very object published (no second parse); only while it listens', async () => {
    const raw = createMemoryEventBus();
    const typed = runEventBus(raw);
    const seen: RunEvent[] = [];
    const event = statusEvent({ id: 'r2', workspaceId: 'ws', workflowId: 'wf' }, 'running', '2026-01-01T00:00:00.000Z');
    // Published while nobody typed listens on the channel: not marked, so a raw re-publish later is parsed (a copy).
    await typed.publish('run:r2', event);
    const off = await typed.subscribe('run:r2', (e) => seen.push(e));
    await raw.publish('run:r2', event);
    await typed.publish('run:r2', statusEvent({ id: 'r2', workspaceId: 'ws', workflowId: 'wf' }, 'completed', '2026-01-01T00:00:01.000Z'));
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(event);
    expect(seen[0]).not.toBe(event); // parsed: zod returns a new object
    expect(seen[1]).toMatchObject({ status: 'completed' });
    const typedObject = statusEvent({ id: 'r2', workspaceId: 'ws', workflowId: 'wf' }, 'failed', '2026-01-01T00:00:02.000Z');
    await typed.publish('run:r2', typedObject);
    await new Promise((r) => setImmediate(r));
    expect(seen[2]).toBe(typedObject); // handed over as is
    await off();
    await off(); // a second call changes nothing
    await raw.close();
  });
});
