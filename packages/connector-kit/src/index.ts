/**
 * @outrun/connector-kit — what makes a connector cheap to write and safe to run: `defineConnector` (credential
 * types, actions, event-source triggers, a pinned version) and the runtime services every action gets (credential
 * decrypted inside the step, SSRF-guarded HTTP, redacting logger, abort signal, idempotency key, retry
 * classification, pagination, per-credential rate limit). Guide: docs/connectors.md.
 */
export { defineConnector, defineAction, defineTrigger, defineCredential, actionNodeType, triggerSourceName, parseConnectorRef, credentialKey, type Connector } from './define-connector';
export { connectorNodes, actionParams } from './to-nodes';
export { describeConnector } from './describe';
export { loadConnectors, connectorPackageNames, resolveTrigger, BUILTIN_CONNECTOR_PACKAGES, type ResolvedTrigger } from './load';
export { testCredential, type CredentialTestResult } from './test-credential';
export { parseCredential } from './credential';
export { ConnectorError, classifyError, isTransient, isRetriableStatus } from './retry';
export { paginate, collectPages, nextLink, type Page, type PaginateOptions } from './paginate';
export { CredentialRateLimits, type RateLimiter } from './rate-limit';
export { redactingLogger, redactText, secretValues } from './redact';
export type * from './types';
export { startPolling, type PolledItem, type PollingOptions } from './polling-source';
export { requestJson, type JsonRequest, type JsonResponse } from './http-json';
export { createNetworkGuard, checkCredentialHosts, splitHostPort, type NetworkGuard, type NetworkGuardOptions } from './network-guard';
