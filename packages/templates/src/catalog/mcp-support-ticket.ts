import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/**
 * An MCP tool that runs a workflow: once active, the workspace MCP endpoint lists it as `create_support_ticket`
 * (docs/mcp.md). The arguments are checked against `settings.inputSchema`, stored as a ticket, and the tool
 * answers with the ticket id (the run's output).
 */
export const mcpSupportTicket = defineTemplate({
  id: 'mcp-support-ticket',
  name: 'MCP tool: create a support ticket',
  description: 'An MCP tool for assistants (Claude Desktop, IDEs, agents): validates {email, subject, body}, stores a ticket in the "tickets" collection and answers with its id.',
  category: 'ai',
  workflow: {
    name: 'Create support ticket (MCP tool)',
    triggers: [{ id: 'mcp-call', type: 'manual' }],
    nodes: [
      triggerNode('tool-call', 'mcp-call', 'MCP tool call'),
      node('store', 'data-write', {
        collection: 'tickets',
        operation: 'insert',
        data: { email: '{{ trigger.email }}', subject: '{{ trigger.subject }}', body: '{{ trigger.body }}', status: 'open', openedAt: '{{ $now() }}' },
      }, 1, 0, 'Store ticket'),
      node('answer', 'set', { keepInput: false, fields: [{ name: 'ticketId', value: '{{ input.id }}' }, { name: 'status', value: 'open' }] }, 2, 0, 'Answer'),
    ],
    edges: [edge('tool-call', 'store'), edge('store', 'answer')],
    settings: {
      inputSchema: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email', description: 'Who asks' },
          subject: { type: 'string', minLength: 1, maxLength: 200 },
          body: { type: 'string', maxLength: 10000 },
        },
        required: ['email', 'subject'],
        additionalProperties: false,
      },
      mcp: { expose: true, toolName: 'create_support_ticket', description: 'Opens a support ticket for a customer and returns its id.', waitMs: 30000 },
    },
  },
});
