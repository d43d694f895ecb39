import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** The seed's example: webhook → AI agent classifies the lead → hot leads notify sales. */
export const leadClassification = defineTemplate({
  id: 'lead-classification',
  name: 'AI lead classification',
  description: 'A webhook receives a lead; an AI agent classifies it (hot, warm, cold) with a confidence; hot leads are posted to the sales channel.',
  category: 'ai',
  workflow: {
    name: 'Lead Processing Pipeline',
    triggers: [{ id: 'lead-webhook', type: 'webhook', config: { auth: { type: 'hmac' } } }],
    nodes: [
      triggerNode('receive-lead', 'lead-webhook', 'New lead'),
      node('classify', 'ai-agent', {
        instructions: 'You qualify B2B sales leads. Classify the lead as hot_lead, warm_lead or cold_lead and give your confidence between 0 and 1.',
        input: '{{ $string(input.body) }}',
        model: 'gpt-5.4-mini',
        outputSchema: {
          type: 'object',
          properties: {
            classification: { type: 'string', enum: ['hot_lead', 'warm_lead', 'cold_lead'] },
            confidence: { type: 'number' },
          },
          required: ['classification', 'confidence'],
          additionalProperties: false,
        },
      }, 1, 0, 'Classify lead'),
      node('is-hot', 'condition', { left: '{{ input.output.classification }}', operator: 'equals', right: 'hot_lead' }, 2, 0, 'Hot lead?'),
      node('notify-sales', 'http-request', {
        method: 'POST',
        url: 'https://hooks.example.com/sales',
        bodyType: 'json',
        body: { text: 'Hot lead: {{ $string(steps.`receive-lead`.body) }}', confidence: '{{ steps.classify.output.confidence }}' },
      }, 3, 0, 'Notify sales'),
      node('ignore', 'noop', {}, 3, 1, 'Not hot'),
    ],
    edges: [edge('receive-lead', 'classify'), edge('classify', 'is-hot'), edge('is-hot', 'notify-sales', 'true'), edge('is-hot', 'ignore', 'false')],
  },
});
