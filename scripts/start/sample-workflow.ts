import type { WorkflowInputRaw } from '@outrun/schemas';

/** The sample workflow of the first start: webhook → transform → condition → respond (sync, answers the caller). */
export const SAMPLE_TRIGGER_ID = 'sample-webhook';

export const sampleWorkflow: WorkflowInputRaw = {
  name: 'Sample: score a lead',
  description: 'POST {"name": "Ada", "employees": 250} to the webhook; the workflow scores the lead and answers.',
  triggers: [
    {
      id: SAMPLE_TRIGGER_ID,
      type: 'webhook',
      active: true,
      config: { methods: ['POST'], auth: { type: 'none' }, responseMode: 'sync', syncTimeoutMs: 10_000 },
    },
  ],
  nodes: [
    { id: 'webhook', type: 'trigger', position: { x: 0, y: 120 }, data: { triggerId: SAMPLE_TRIGGER_ID }, label: 'Webhook' },
    {
      id: 'score',
      type: 'transform',
      position: { x: 260, y: 120 },
      label: 'Score the lead',
      data: { expression: '{ "name": input.body.name, "employees": input.body.employees, "score": input.body.employees > 100 ? 90 : 30 }' },
    },
    {
      id: 'is-hot',
      type: 'condition',
      position: { x: 520, y: 120 },
      label: 'Score above 50?',
      data: { left: '{{ input.score }}', operator: 'gt', right: 50 },
    },
    {
      id: 'hot',
      type: 'respond',
      position: { x: 780, y: 40 },
      label: 'Answer: hot',
      data: { status: 200, body: { lead: '{{ input.name }}', classification: 'hot_lead', score: '{{ input.score }}' } },
    },
    {
      id: 'cold',
      type: 'respond',
      position: { x: 780, y: 200 },
      label: 'Answer: cold',
      data: { status: 200, body: { lead: '{{ input.name }}', classification: 'cold_lead', score: '{{ input.score }}' } },
    },
  ],
  edges: [
    { id: 'e1', source: 'webhook', target: 'score' },
    { id: 'e2', source: 'score', target: 'is-hot' },
    { id: 'e3', source: 'is-hot', sourceHandle: 'true', target: 'hot' },
    { id: 'e4', source: 'is-hot', sourceHandle: 'false', target: 'cold' },
  ],
};
