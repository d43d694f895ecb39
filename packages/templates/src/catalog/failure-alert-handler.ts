import { defineTemplate } from '../template';
import { node, edge, triggerNode } from '../build';

/**
 * An error handler: name this workflow in another workflow's `settings.errorWorkflowId`; each failed run of that
 * workflow starts it once with `trigger.failedRun` (id, workflow, failed node, error, link).
 */
export const failureAlertHandler = defineTemplate({
  id: 'failure-alert-handler',
  name: 'Error handler: alert on failed runs',
  description: 'Set it as another workflow’s error workflow: every failed run posts its workflow, failed step, error and link to a chat channel.',
  category: 'monitoring',
  workflow: {
    name: 'Alert on failed runs',
    triggers: [{ id: 'failed-run', type: 'manual' }],
    settings: { timeout: 60_000 },
    nodes: [
      triggerNode('failed', 'failed-run', 'A run failed'),
      node('alert', 'http-request', {
        method: 'POST', url: 'https://hooks.example.com/oncall', bodyType: 'json',
        body: {
          text: 'Workflow {{ trigger.failedRun.workflowName }} failed at step {{ trigger.failedRun.failedNodeId }}: {{ trigger.failedRun.error.code }} {{ trigger.failedRun.error.message }}',
          run: '{{ trigger.failedRun.url }}',
        },
      }, 1, 0, 'Alert on-call'),
    ],
    edges: [edge('failed', 'alert')],
  },
});
