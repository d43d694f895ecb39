import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/**
 * A parent that fans out: one child run of another workflow per item of the request, waits for all of them
 * (parked, holding no worker) and posts their outputs in item order. Set `workflowId` to your child.
 */
export const fanOutPerItem = defineTemplate({
  id: 'fan-out-per-item',
  name: 'Fan out: a sub-workflow per item',
  description: 'Receives a list, runs a child workflow for each item (one sub-workflow run each, usage rolled up) and posts all results.',
  category: 'data',
  workflow: {
    name: 'Fan out per item',
    triggers: [{ id: 'batch', type: 'webhook', config: { methods: ['POST'] } }],
    settings: { timeout: 3_600_000 },
    nodes: [
      triggerNode('items', 'batch', 'Batch received'),
      node('each', 'workflow', {
        workflowId: 'set-your-child-workflow-id',
        forEach: '{{ trigger.body.items }}',
        input: { requestedBy: '{{ trigger.body.requestedBy }}' },
        mode: 'wait',
        timeoutMs: 1_800_000,
      }, 1, 0, 'Process each item'),
      node('report', 'http-request', { method: 'POST', url: 'https://hooks.example.com/batch-done', bodyType: 'json', body: { results: '{{ input }}' } }, 2, 0, 'Report results'),
    ],
    edges: [edge('items', 'each'), edge('each', 'report')],
  },
});
