import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** Every morning: fetch yesterday's items, summarise them with an AI agent, post the digest. */
export const dailyDigest = defineTemplate({
  id: 'daily-digest',
  name: 'Daily AI digest',
  description: 'Every day at 08:00 fetches recent items from an API, has an AI agent write a short digest, and posts it to a chat webhook.',
  category: 'ai',
  workflow: {
    name: 'Daily digest',
    triggers: [{ id: 'every-morning', type: 'schedule', config: { cron: '0 8 * * *', timezone: 'Europe/Berlin', catchUp: 'latest' } }],
    settings: { maxCostPerRun: 0.5 },
    nodes: [
      triggerNode('morning', 'every-morning', '08:00 every day'),
      node('fetch', 'http-request', { method: 'GET', url: 'https://api.example.com/items', query: { since: '{{ $fromMillis($toMillis(trigger.scheduledAt) - 86400000) }}' } }, 1, 0, 'Fetch items'),
      node('summarise', 'ai-agent', {
        instructions: 'Write a digest of these items for a busy team: at most 5 bullet points, most important first, plain text.',
        input: '{{ $string(input.body) }}',
        model: 'gpt-5.4-mini',
        maxTurns: 1,
      }, 2, 0, 'Summarise'),
      node('post', 'http-request', { method: 'POST', url: 'https://hooks.example.com/digest', bodyType: 'json', body: { text: '{{ input.output }}' } }, 3, 0, 'Post digest'),
    ],
    edges: [edge('morning', 'fetch'), edge('fetch', 'summarise'), edge('summarise', 'post')],
  },
});
