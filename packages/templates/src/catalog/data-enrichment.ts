import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/**
 * A new contact (data change, inserts only) → enrichment API → fields written back onto the same document.
 * Listening to inserts only keeps the write-back update from starting the workflow again.
 */
export const dataEnrichment = defineTemplate({
  id: 'data-enrichment',
  name: 'Enrich new contacts',
  description: 'When a contact is inserted into the "contacts" collection, look the company up over HTTP and write the result back onto the document.',
  category: 'data',
  workflow: {
    name: 'Contact enrichment',
    triggers: [{ id: 'contact-inserted', type: 'data_change', config: { collection: 'contacts', operations: ['insert'] } }],
    nodes: [
      triggerNode('new-contact', 'contact-inserted', 'Contact inserted'),
      node('lookup', 'http-request', { method: 'GET', url: 'https://enrich.example.com/v1/company', query: { email: '{{ input.document.email }}' } }, 1, 0, 'Look up company'),
      node('write-back', 'data-write', {
        collection: 'contacts',
        operation: 'update',
        documentId: '{{ trigger.documentId }}',
        data: { company: '{{ input.body.company }}', industry: '{{ input.body.industry }}', enrichedAt: '{{ $now() }}' },
      }, 2, 0, 'Write back'),
    ],
    edges: [edge('new-contact', 'lookup'), edge('lookup', 'write-back')],
  },
});
