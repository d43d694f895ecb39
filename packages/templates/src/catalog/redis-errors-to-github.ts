import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** Redis stream of failed jobs → GitHub issue, labelled, and an email to the on-call address. */
export const redisErrorsToGithub = defineTemplate({
  id: 'redis-errors-to-github',
  name: 'Redis error stream → GitHub issue + email',
  description: 'Each entry of a Redis stream of failed jobs (consumer group, acked after recording) opens a labelled GitHub issue and emails the on-call address.',
  category: 'monitoring',
  workflow: {
    name: 'Failed jobs to GitHub',
    triggers: [{ id: 'failed-jobs', type: 'event_source', config: { source: 'redis.streamEntries@1', params: { stream: 'jobs:failed', group: 'outrun' } } }],
    nodes: [
      triggerNode('failure', 'failed-jobs', 'Failed job'),
      node('issue', 'github.createIssue@1', { owner: 'my-org', repo: 'my-service', title: 'Job {{ trigger.fields.job }} failed', body: '{{ trigger.fields.error }}', labels: ['incident'] }, 1, 0, 'Open issue'),
      node('mail', 'email.send@1', { to: 'oncall@example.com', subject: 'Job {{ trigger.fields.job }} failed', text: 'Issue: {{ steps.issue.url }}' }, 2, 0, 'Email on-call'),
    ],
    edges: [edge('failure', 'issue'), edge('issue', 'mail')],
  },
});
