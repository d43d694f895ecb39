import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** A CSV upload (text body) → rows → reshaped records → one bulk POST. */
export const csvBulkPost = defineTemplate({
  id: 'csv-bulk-post',
  name: 'CSV upload → bulk import',
  description: 'Upload a CSV file to a webhook; rows are parsed, reshaped with JSONata and posted in one bulk request.',
  category: 'data',
  workflow: {
    name: 'CSV bulk import',
    triggers: [{ id: 'csv-upload', type: 'webhook', config: { auth: { type: 'hmac' }, maxBodyBytes: 5 * 1024 * 1024 } }],
    nodes: [
      triggerNode('upload', 'csv-upload', 'CSV upload'),
      node('parse', 'parser', { format: 'csv', source: 'body', headerRow: true }, 1, 0, 'Parse CSV'),
      node('reshape', 'transform', { expression: '{"records": [input.{"email": $lowercase(email), "name": name, "plan": plan ? plan : "free"}]}' }, 2, 0, 'Reshape rows'),
      node('bulk-post', 'http-request', { method: 'POST', url: 'https://api.example.com/contacts/bulk', bodyType: 'json', body: '{{ input }}' }, 3, 0, 'Bulk POST'),
    ],
    edges: [edge('upload', 'parse'), edge('parse', 'reshape'), edge('reshape', 'bulk-post')],
  },
});
