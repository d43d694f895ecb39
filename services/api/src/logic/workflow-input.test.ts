import { WorkflowInput } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { depth, MAX_JSON_DEPTH } from '../http/mount-routes';
import { assertTriggerIdsFree, portableBody, renameTriggers, withWebhookPaths } from './workflow-input';

const input = WorkflowInput.parse({
  name: 'w',
  triggers: [{ id: 'hook', type: 'webhook' }, { id: 'cron', type: 'schedule', config: { cron: '* * * * *' } }],
  nodes: [
    { id: 'a', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'hook' } },
    { id: 'b', type: 'trigger', position: { x: 0, y: 1 }, data: { triggerId: 'cron' } },
  ],
});

describe('workflow body shaping', () => {
  it('fills webhook paths and removes them again for export', () => {
    const filled = withWebhookPaths('ws 1', input);
    expect(filled.triggers[0]).toMatchObject({ config: { webhookUrl: '/webhook/ws%201/hook' } });
    expect(portableBody(filled)).toEqual(portableBody(input));
    expect(JSON.stringify(portableBody(filled))).not.toContain('webhookUrl');
  });

  it('renames only taken trigger ids (or all) and keeps trigger nodes pointing at them', () => {
    const renamed = renameTriggers(input, new Map([['hook', 'other-workflow']]));
    const [hook, cron] = renamed.triggers;
    expect(hook?.id).toMatch(/^hook-[0-9a-f]{8}$/);
    expect(cron?.id).toBe('cron');
    expect(renamed.nodes[0]?.data.triggerId).toBe(hook?.id);
    expect(renamed.nodes[1]?.data.triggerId).toBe('cron');
    const all = renameTriggers(input, new Map(), true);
    expect(all.triggers.map((t) => t.id)).not.toContain('cron');
    expect(renameTriggers(input, new Map())).toBe(input);
  });

  it('reports taken and duplicate trigger ids with their paths', () => {
    const dup = { ...input, triggers: [input.triggers[0]!, input.triggers[0]!] };
    expect(() => assertTriggerIdsFree(dup, new Map([['hook', 'x']]))).toThrow(
      expect.objectContaining({ status: 409, details: [expect.objectContaining({ path: 'triggers.0.id' }), expect.objectContaining({ path: 'triggers.1.id' }), expect.objectContaining({ message: 'duplicate trigger id "hook"' })] }),
    );
    expect(() => assertTriggerIdsFree(input, new Map())).not.toThrow();
  });
});

describe('JSON depth guard', () => {
  it('measures nesting without recursion', () => {
    expect(depth(1)).toBe(0);
    expect(depth({ a: [{ b: 1 }] })).toBe(3);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(depth(deep)).toBeGreaterThan(MAX_JSON_DEPTH);
  });
});
