import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** A form posts to a sync webhook: valid submissions are stored and answered 201, invalid ones 422. */
export const formSubmission = defineTemplate({
  id: 'form-submission',
  name: 'Form submission with validation',
  description: 'A sync webhook validates a form submission; valid ones are stored in the "submissions" collection and answered 201, invalid ones 422 with the reason.',
  category: 'forms',
  workflow: {
    name: 'Form submission',
    triggers: [{ id: 'form-post', type: 'webhook', config: { responseMode: 'sync', syncTimeoutMs: 10_000 } }],
    nodes: [
      triggerNode('submission', 'form-post', 'Form submitted'),
      node('is-valid', 'condition', {
        expression: '$type(input.body.email) = "string" and $contains(input.body.email, "@") and $type(input.body.name) = "string" and $length($trim(input.body.name)) > 0',
      }, 1, 0, 'Valid?'),
      node('store', 'data-write', { collection: 'submissions', operation: 'insert', data: { name: '{{ input.body.name }}', email: '{{ input.body.email }}', message: '{{ input.body.message }}' } }, 2, 0, 'Store submission'),
      node('accepted', 'respond', { status: 201, body: { ok: true, id: '{{ input.id }}' } }, 3, 0, 'Answer 201'),
      node('rejected', 'respond', { status: 422, body: { ok: false, error: 'name and a valid email are required' } }, 2, 1, 'Answer 422'),
    ],
    edges: [edge('submission', 'is-valid'), edge('is-valid', 'store', 'true'), edge('is-valid', 'rejected', 'false'), edge('store', 'accepted')],
  },
});
