import { defineTemplate } from '../template';
import { edge, node, triggerNode } from '../build';

/** A webhook files an expense; someone approves or rejects it (run view, API or signed link) within 3 days. */
export const expenseApproval = defineTemplate({
  id: 'expense-approval',
  name: 'Expense approval',
  description: 'An expense arrives by webhook; an approver decides in the run view or through a signed link sent to chat, with an amount form and a 3-day deadline.',
  category: 'forms',
  workflow: {
    name: 'Expense approval',
    triggers: [{ id: 'expense-filed', type: 'webhook', config: { methods: ['POST'] } }],
    settings: { timeout: 4 * 86_400_000 },
    nodes: [
      triggerNode('expense', 'expense-filed', 'Expense filed'),
      node('approve', 'approval', {
        title: 'Approve {{ trigger.body.employee }}’s expense of {{ trigger.body.amount }} {{ trigger.body.currency }}?',
        instructions: '{{ trigger.body.description }}',
        form: { type: 'object', properties: { approvedAmount: { type: 'number', minimum: 0 }, note: { type: 'string', maxLength: 500 } } },
        timeoutMs: 3 * 86_400_000,
        notifyUrl: 'https://hooks.example.com/finance-approvals',
      }, 1, 0, 'Manager approval'),
      node('pay', 'http-request', {
        method: 'POST', url: 'https://payroll.example.com/reimbursements', bodyType: 'json',
        body: { employee: '{{ trigger.body.employee }}', amount: '{{ input.answer.approvedAmount ? input.answer.approvedAmount : trigger.body.amount }}', approvedBy: '{{ input.decidedBy }}' },
      }, 2, 0, 'Reimburse'),
      node('tell-rejected', 'http-request', {
        method: 'POST', url: 'https://hooks.example.com/finance', bodyType: 'json',
        body: { text: 'Expense of {{ trigger.body.employee }} rejected: {{ input.comment }}' },
      }, 2, 1, 'Tell the employee'),
      node('escalate', 'http-request', {
        method: 'POST', url: 'https://hooks.example.com/finance', bodyType: 'json', body: { text: 'Expense of {{ trigger.body.employee }} waited 3 days: escalating' },
      }, 2, 2, 'Escalate'),
    ],
    edges: [edge('expense', 'approve'), edge('approve', 'pay', 'approved'), edge('approve', 'tell-rejected', 'rejected'), edge('approve', 'escalate', 'timeout')],
  },
});
