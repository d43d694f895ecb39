/**
 * @outrun/nodes — the node catalog: one folder per node type (params schema, UI metadata, handles,
 * `execute(ctx)`), the SSRF-guarded pooled HTTP client the runner lends to nodes, and `runNode`,
 * the harness for testing a node without a server.
 */
export { builtinNodes, createNodeCatalog } from './catalog';
export { describeCatalog, describeNode } from './describe-catalog';
export { defineNode } from './define-node';
export { createHttpClient, type HttpClientOptions, type GuardedHttpRequest, type PooledHttpClient, type HostResolver } from './http/create-http-client';
export { createGuardedFetch, type GuardedFetch, type GuardedFetchOptions } from './http/create-guarded-fetch';
export { createSsrfPolicy, isBlockedAddress, BLOCKED_RANGES, type SsrfPolicy, type SsrfPolicyOptions } from './http/ssrf-policy';
export { parseIp } from './http/ip-address';
export { runNode, parseNodeParams, type RunNodeOptions, type RunNodeResult, type CapturedLog } from './testing/run-node';
export { createManualClock, type ManualClock } from './testing/manual-clock';
/** Re-exported from `@outrun/engine` (one real clock for the whole system). */
export { systemClock } from '@outrun/engine';
export { triggerNode, TriggerParams } from './trigger';
export { httpRequestNode, HttpRequestParams, HttpCredential } from './http-request';
export { transformNode, TransformParams } from './transform';
export { codeNode, CodeParams } from './code';
export { setNode, SetParams } from './set';
export { conditionNode, ConditionParams } from './condition';
export { switchNode, SwitchParams } from './switch';
export { parserNode, ParserParams } from './parser';
export { delayNode, DelayParams, PARK_THRESHOLD_MS } from './delay';
export { mergeNode, MergeParams } from './merge';
export { respondNode, RespondParams } from './respond';
export { noopNode, NoopParams } from './noop';
export { aiAgentNode, AiAgentParams, AgentToolSpec, HttpToolSpec, DataLookupToolSpec, type AiAgentOutput, type ToolCallRecord } from './ai-agent';
// The light AI modules only (no SDK): `./ai/index` would load the Agents SDK eagerly.
export { ModelPrice, PriceTable, loadPriceTable, resolvePricing, findModelPrice, estimateCost, type PriceTableSources, type Pricing, type CostEstimate } from './ai/pricing';
export { CATALOGUE_SOURCE, CATALOGUE_VERSION, catalogueModels, catalogueProviderFor, catalogueProviders, type TokenCounts } from './ai/price-catalogue';
export { AiApiMode, OPENAI_BASE_URL, OpenAiCredentialData, AiServices, getAiServices, defaultApiMode, resolveAiProvider, type ResolvedAiProvider } from './ai/ai-provider';
export * from './composition';
