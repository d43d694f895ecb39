import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** Every 5 minutes: GET a health endpoint; a failure (error or status ≥ 400) posts an alert. */
export const httpHealthCheck = defineTemplate({
  id: 'http-health-check',
  name: 'Scheduled HTTP health check',
  description: 'Calls a health endpoint every 5 minutes and sends an alert when it fails or answers with an error status.',
  category: 'monitoring',
  workflow: {
    name: 'HTTP health check',
    triggers: [{ id: 'every-5-minutes', type: 'schedule', config: { cron: '*/5 * * * *', timezone: 'UTC', catchUp: 'none' } }],
    settings: { timeout: 60_000 },
    nodes: [
      triggerNode('tick', 'every-5-minutes', 'Every 5 minutes'),
      {
        ...node('probe', 'http-request', { method: 'GET', url: 'https://status.example.com/healthz', timeout: 10_000, failOnStatus: false }, 1, 0, 'Probe'),
        // A network error becomes the step output `{error}` instead of failing the run, so the alert can fire.
        settings: { continueOnFail: true, retry: { maxRetries: 1 } },
      },
      node('is-down', 'condition', { expression: '$exists(input.error) or input.status >= 400' }, 2, 0, 'Down?'),
      node('alert', 'http-request', {
        method: 'POST', url: 'https://hooks.example.com/oncall', bodyType: 'json',
        body: { text: 'Health check failed at {{ trigger.scheduledAt }}', status: '{{ input.status }}', error: '{{ input.error.message }}' },
      }, 3, 0, 'Alert on-call'),
      node('healthy', 'noop', {}, 3, 1, 'Healthy'),
    ],
    edges: [edge('tick', 'probe'), edge('probe', 'is-down'), edge('is-down', 'alert', 'true'), edge('is-down', 'healthy', 'false')],
  },
});
