export { approvalNode, ApprovalParams, ApprovalState, ApprovalDecision } from './approval-node';
export { waitForEventNode, WaitForEventParams } from './wait-for-event-node';
export { workflowCallNode, WorkflowCallParams } from './workflow-node';
export { approvalSignal, eventSignal, getCompositionServices, MAX_WAIT_MS, type CompositionServices, type ChildRunResult, type StartChildRequest } from './composition-services';
export { checkJsonSchema, schemaProblem, MAX_SCHEMA_CHARS, type SchemaIssue } from './json-schema-check';
export { signApprovalLink, verifyApprovalLink, approvalLinkKey, type ApprovalLinkClaims } from './approval-link';
