/**
 * @outrun/templates — ready-made workflows as typed data. Each is validated against the node catalog in
 * tests and instantiated into a workspace as a draft (`POST /api/workspaces/:ws/templates/:id/instantiate`).
 */
import { csvBulkPost } from './catalog/csv-bulk-post';
import { dailyDigest } from './catalog/daily-digest';
import { dataEnrichment } from './catalog/data-enrichment';
import { formSubmission } from './catalog/form-submission';
import { githubIssueTriage } from './catalog/github-issue-triage';
import { httpHealthCheck } from './catalog/http-health-check';
import { leadClassification } from './catalog/lead-classification';
import { mcpSupportTicket } from './catalog/mcp-support-ticket';
import { orderTotalsCode } from './catalog/order-totals-code';
import { stripePayments } from './catalog/stripe-payments';
import { expenseApproval } from './catalog/expense-approval';
import { failureAlertHandler } from './catalog/failure-alert-handler';
import { fanOutPerItem } from './catalog/fan-out-per-item';

import { postgresLeadToSlack } from './catalog/postgres-lead-to-slack';
import { rabbitmqOrdersToMysql } from './catalog/rabbitmq-orders-to-mysql';
import { redisErrorsToGithub } from './catalog/redis-errors-to-github';
import type { Template } from './template';

export { defineTemplate, TemplateCategory, type Template } from './template';
export { csvBulkPost, dailyDigest, dataEnrichment, formSubmission, githubIssueTriage, httpHealthCheck, leadClassification, stripePayments };
export { expenseApproval, failureAlertHandler, fanOutPerItem, mcpSupportTicket, orderTotalsCode };
export { postgresLeadToSlack, rabbitmqOrdersToMysql, redisErrorsToGithub };

/** Every built-in template, in gallery order. */
export const builtinTemplates: readonly Template[] = [
  leadClassification,
  githubIssueTriage,
  httpHealthCheck,
  csvBulkPost,
  dataEnrichment,
  dailyDigest,
  stripePayments,
  formSubmission,
  mcpSupportTicket,
  orderTotalsCode,
  expenseApproval,
  failureAlertHandler,
  fanOutPerItem,
  postgresLeadToSlack,
  rabbitmqOrdersToMysql,
  redisErrorsToGithub,
];

/** A template by id, or undefined. */
export const findTemplate = (id: string): Template | undefined => builtinTemplates.find((t) => t.id === id);
