import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@outrun/config';
import { runChannel, runEventBus } from '@outrun/queue';
import { createMemoryEventBus } from '@outrun/queue/memory';
import type { RunEvent } from '@outrun/schemas';
import { createLiveOutput } from './live-output';

let bus: ReturnType<typeof createMemoryEventBus>;
beforeEach(() => {
  bus = createMemoryEventBus();
});
afterEach(async () => {
  await bus.close();
});
const run = { id: 'run-1', workspaceId: 'ws-1', workflowId: 'wf-1' };
const logger = createLogger({ name: 'live-output-test', level: 'silent' });

async function collect(): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runEventBus(bus).subscribe(runChannel(run.id), (e) => events.push(e));
  return events;
}
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('live output coalescing', () => {
  it('turns a flood of deltas into few events whose text, in seq order, is exactly what was written', async () => {
    const events = await collect();
    const writer = createLiveOutput(bus, logger, run, { intervalMs: 50, maxChars: 10_000_000 }).open('agent', 2);
    let written = '';
    const started = Date.now();
    while (Date.now() - started < 220) {
      const delta = `t${written.length} `;
      written += delta;
      writer.write(delta);
      await new Promise((r) => setImmediate(r));
    }
    writer.end();
    writer.write('ignored after end');
    await settle();
    const outputs = events.flatMap((e) => (e.type === 'output' ? [e] : []));
    // Hundreds of deltas over ~220 ms at one event per 50 ms: a handful of events.
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    expect(outputs.length).toBeLessThanOrEqual(8);
    expect(outputs.map((e) => e.seq)).toEqual(outputs.map((_, i) => i));
    expect(outputs.every((e) => e.nodeId === 'agent' && e.attempt === 2 && e.runId === 'run-1')).toBe(true);
    expect(outputs.map((e) => e.text).join('')).toBe(written);
  });

  it('flushes at once on a tool call and when the buffer reaches maxChars', async () => {
    const events = await collect();
    const writer = createLiveOutput(bus, logger, run, { intervalMs: 10_000, maxChars: 100 }).open('agent', 1);
    writer.write('Looking up ');
    writer.toolCall({ callId: 'c1', name: 'crm', status: 'called' });
    writer.write('x'.repeat(150));
    await settle();
    const outputs = events.flatMap((e) => (e.type === 'output' ? [e] : []));
    expect(outputs.map((e) => [e.text.length, e.toolCalls?.length ?? 0])).toEqual([[11, 1], [150, 0]]);
    writer.end();
  });
});
