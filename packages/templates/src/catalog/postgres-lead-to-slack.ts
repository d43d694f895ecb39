import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** New PostgreSQL row → AI classification → Slack message for hot leads (docs/connectors.md). */
export const postgresLeadToSlack = defineTemplate({
  id: 'postgres-lead-to-slack',
  name: 'New PostgreSQL lead → AI → Slack',
  description: 'Each new row of a leads table (PostgreSQL, LISTEN/NOTIFY) is classified by an AI agent; hot leads are posted to a Slack channel.',
  category: 'ai',
  workflow: {
    name: 'Leads from PostgreSQL',
    triggers: [{ id: 'new-lead-row', type: 'event_source', config: { source: 'postgres.newRows@1', params: { table: 'leads', cursorColumn: 'id', notifyChannel: 'leads_inserted' } } }],
    nodes: [
      triggerNode('new-lead', 'new-lead-row', 'New lead row'),
      node('classify', 'ai-agent', {
        instructions: 'You qualify B2B sales leads. Classify the lead as hot_lead, warm_lead or cold_lead and give your confidence between 0 and 1.',
        input: '{{ $string(trigger.row) }}',
        model: 'gpt-5.4-mini',
        outputSchema: {
          type: 'object',
          properties: { classification: { type: 'string', enum: ['hot_lead', 'warm_lead', 'cold_lead'] }, confidence: { type: 'number' } },
          required: ['classification', 'confidence'],
          additionalProperties: false,
        },
      }, 1, 0, 'Classify lead'),
      node('is-hot', 'condition', { left: '{{ input.output.classification }}', operator: 'equals', right: 'hot_lead' }, 2, 0, 'Hot lead?'),
      node('post', 'slack.postMessage@1', { channel: '#sales', text: 'Hot lead: {{ trigger.row.email }} (confidence {{ steps.classify.output.confidence }})' }, 3, 0, 'Post to Slack'),
      node('ignore', 'noop', {}, 3, 1, 'Not hot'),
    ],
    edges: [edge('new-lead', 'classify'), edge('classify', 'is-hot'), edge('is-hot', 'post', 'true'), edge('is-hot', 'ignore', 'false')],
  },
});
