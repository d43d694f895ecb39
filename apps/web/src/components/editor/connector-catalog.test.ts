import { describe, expect, it } from 'vitest';
import type { NodeTypeInfo } from '../../lib/api';
import { groupConnectors } from './connector-catalog';

const node = (type: string, label: string, connector?: NodeTypeInfo['connector']): NodeTypeInfo => ({ type, label, description: `${label} desc`, category: 'data', icon: 'database', inputs: [{ id: 'in' }], outputs: [{ id: 'out' }], dynamicOutputs: false, waitsForAllInputs: false, paramsSchema: {}, ...(connector ? { connector } : {}) });
const pg = { name: 'postgres', version: '1.0.0', label: 'PostgreSQL', category: 'database', credential: { type: 'postgres.connection', label: 'PostgreSQL connection', fields: ['host'], secretFields: ['password'] } };
const slack = { name: 'slack', version: '1.2.0', label: 'Slack', category: 'communication', credential: { type: 'slack.bot', label: 'Slack bot token', fields: ['botToken'], secretFields: ['botToken'] } };
const catalog = [node('set', 'Set'), node('postgres.query@1', 'PostgreSQL: Query', pg), node('postgres.insert@1', 'PostgreSQL: Insert', pg), node('slack.postMessage@1', 'Slack: Post message', slack)];

describe('connector catalog grouping', () => {
  it('groups connector actions by category then connector; built-ins stay out', () => {
    const groups = groupConnectors(catalog, '');
    expect(groups.map(([c, list]) => [c, list.map((g) => [g.connector.name, g.actions.map((a) => a.type)])])).toEqual([
      ['database', [['postgres', ['postgres.query@1', 'postgres.insert@1']]]],
      ['communication', [['slack', ['slack.postMessage@1']]]],
    ]);
  });

  it('searches connector, action and credential names', () => {
    expect(groupConnectors(catalog, 'bot token').flatMap(([, l]) => l.map((g) => g.connector.name))).toEqual(['slack']);
    expect(groupConnectors(catalog, 'insert')[0]![1][0]!.actions.map((a) => a.type)).toEqual(['postgres.insert@1']);
    expect(groupConnectors(catalog, 'nothing-like-this')).toEqual([]);
  });
});
