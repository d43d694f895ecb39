import cron from 'node-cron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkflowInput, type Workflow } from '@outrun/schemas';
import { parseCron, validateWorkflow } from '@outrun/engine';
import { buildTriggerIndex } from './trigger-index';

function workflow(status: Workflow['status'], triggers: unknown[], id = 'wf1'): Workflow {
  const input = WorkflowInput.parse({ name: 'w', triggers });
  return { ...input, id, workspaceId: 'ws1', status, version: 3, stats: { totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
}

describe('buildTriggerIndex', () => {
  it('indexes active triggers of active workflows by kind, pinned to the workflow version', () => {
    const { snapshot, problems } = buildTriggerIndex([
      workflow('active', [
        { id: 'h', type: 'webhook', config: { methods: ['GET'] } },
        { id: 's', type: 'schedule', config: { cron: '0 9 * * mon-fri', timezone: 'Europe/Berlin' } },
        { id: 'd', type: 'data_change', config: { collection: 'leads' } },
        { id: 'off', type: 'webhook', active: false, config: {} },
        { id: 'm', type: 'manual', config: {} },
      ]),
      workflow('paused', [{ id: 'p', type: 'webhook', config: {} }], 'wf2'),
    ]);
    expect(problems).toEqual([]);
    expect([...snapshot.webhooks.keys()]).toEqual(['ws1/h']);
    expect(snapshot.webhooks.get('ws1/h')).toMatchObject({ workflowVersion: 3, source: '/webhook/ws1/h' });
    expect([...(snapshot.webhooks.get('ws1/h')?.methods ?? [])]).toEqual(['GET']);
    expect(snapshot.schedules.get('ws1/s')?.cron.hours).toEqual([9]);
    expect(snapshot.data.get('ws1/leads')?.map((d) => d.triggerId)).toEqual(['d']);
  });

  it('skips and reports schedules that can never fire or name an unknown zone', () => {
    const { snapshot, problems } = buildTriggerIndex([
      workflow('active', [
        { id: 'feb31', type: 'schedule', config: { cron: '0 0 31 2 *' } },
        { id: 'zone', type: 'schedule', config: { cron: '* * * * *', timezone: 'Mars/Base' } },
      ]),
    ]);
    expect(snapshot.schedules.size).toBe(0);
    expect(problems.map((p) => [p.triggerId, p.code])).toEqual([['feb31', 'OUT_ERR_INVALID_CRON'], ['zone', 'OUT_ERR_INVALID_CRON']]);
  });
});

describe('parseCron agrees with node-cron (whatever we accept, node-cron accepts)', () => {
  it.each(['* * * * *', '*/5 * * * * *', '0 9-17/2 * * 1-5', '0 0 1 jan,jul *', '30 4 * * sun', '0 0 * * 7', '0 12 15 * fri', '59 59 23 31 12 *', '0 0 29 2 *', '@daily'])('%s', (expression) => {
    expect(parseCron(expression).ok).toBe(true);
    if (!expression.startsWith('@')) expect(cron.validate(expression)).toBe(true);
  });
  it.each(['60 * * * *', '* * *', '* 25 * * *', 'a b c d e', '0 0 32 * *'])('both reject %s', (expression) => {
    expect(parseCron(expression).ok).toBe(false);
    expect(cron.validate(expression)).toBe(false);
  });
});

describe('one schedule validation for the API and the listener', () => {
  const token = fc.constantFrom('*', '0', '5', '7', '59', '60', '*/5', '1-5', '5-1', '1,2', '1-5/2', 'mon', 'JAN', 'L', '?', '0-7', '2/3', '31', '-1', '1/0', '@daily', '@reboot');
  const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n');
  const expression = fc.array(fc.tuple(token, separator), { minLength: 1, maxLength: 7 }).map((parts) => parts.map(([t, sep], i) => (i === 0 ? t : sep + t)).join(''));
  const zone = fc.constantFrom(undefined, 'UTC', 'Europe/Berlin', 'Mars/Base', 'utc');

  /** Problems the API reports for the schedule when it validates the workflow (activation, publish). */
  const apiScheduleProblems = (cronText: string, timezone: string | undefined): string[] =>
    validateWorkflow({ nodes: [], edges: [], triggers: [{ id: 's', type: 'schedule', config: timezone === undefined ? { cron: cronText } : { cron: cronText, timezone } }] }, new Map())
      .filter((p) => p.path.startsWith('triggers.0.config'))
      .map((p) => p.path);

  it('a schedule the API accepts is indexed by the listener, and one it rejects is not (tabs were the drift)', () => {
    const tab = '0\t0 * * *';
    expect(apiScheduleProblems(tab, 'UTC')).toEqual(['triggers.0.config.cron']);
    fc.assert(fc.property(expression, zone, (cronText, timezone) => {
      const apiAccepts = apiScheduleProblems(cronText, timezone).length === 0;
      const config = timezone === undefined ? { cron: cronText } : { cron: cronText, timezone };
      const { snapshot } = buildTriggerIndex([workflow('active', [{ id: 's', type: 'schedule', config }])]);
      expect(snapshot.schedules.has('ws1/s')).toBe(apiAccepts);
    }), { numRuns: 2_000 });
  });

  it('whatever the engine accepts, node-cron (the design card\'s library) accepts too', () => {
    fc.assert(fc.property(expression, (cronText) => {
      if (parseCron(cronText).ok && !cronText.trim().startsWith('@')) expect(cron.validate(cronText.trim())).toBe(true);
    }), { numRuns: 5_000 });
  });
});
