import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** GitHub `issues` webhook (X-Hub-Signature-256 checked) routed by action. */
export const githubIssueTriage = defineTemplate({
  id: 'github-issue-triage',
  name: 'GitHub issue triage',
  description: 'Receives signed GitHub issue events, routes opened / labeled / closed issues to different endpoints (chat, tracker).',
  category: 'webhooks',
  workflow: {
    name: 'GitHub issue triage',
    triggers: [{ id: 'github-issues', type: 'webhook', config: { auth: { type: 'github' }, includeHeaders: ['x-github-event', 'x-github-delivery'] } }],
    nodes: [
      triggerNode('issue-event', 'github-issues', 'GitHub issue event'),
      node('by-action', 'switch', {
        value: '{{ input.body.action }}',
        cases: [
          { id: 'opened', label: 'Opened', value: 'opened' },
          { id: 'labeled', label: 'Labeled', value: 'labeled' },
          { id: 'closed', label: 'Closed', value: 'closed' },
        ],
      }, 1, 0, 'Route by action'),
      node('announce-new', 'http-request', {
        method: 'POST', url: 'https://hooks.example.com/triage', bodyType: 'json',
        body: { text: 'New issue #{{ input.body.issue.number }}: {{ input.body.issue.title }}', url: '{{ input.body.issue.html_url }}' },
      }, 2, 0, 'Announce new issue'),
      node('sync-labels', 'http-request', {
        method: 'POST', url: 'https://tracker.example.com/api/issues/sync', bodyType: 'json',
        body: { issue: '{{ input.body.issue.number }}', labels: '{{ input.body.issue.labels.name }}' },
      }, 2, 1, 'Sync labels'),
      node('close-ticket', 'http-request', {
        method: 'POST', url: 'https://tracker.example.com/api/issues/close', bodyType: 'json',
        body: { issue: '{{ input.body.issue.number }}' },
      }, 2, 2, 'Close ticket'),
      node('other-action', 'noop', {}, 2, 3, 'Other actions'),
    ],
    edges: [
      edge('issue-event', 'by-action'),
      edge('by-action', 'announce-new', 'opened'),
      edge('by-action', 'sync-labels', 'labeled'),
      edge('by-action', 'close-ticket', 'closed'),
      edge('by-action', 'other-action', 'default'),
    ],
  },
});
