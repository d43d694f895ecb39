/** Span attribute names: Outrun's own (`outrun.*`) and the OpenTelemetry semantic conventions used. */
export const OutrunAttr = {
  workspaceId: 'outrun.workspace.id',
  workflowId: 'outrun.workflow.id',
  workflowVersion: 'outrun.workflow.version',
  runId: 'outrun.run.id',
  runStatus: 'outrun.run.status',
  attempt: 'outrun.run.attempt',
  deliveries: 'outrun.job.deliveries',
  triggerType: 'outrun.trigger.type',
  triggerId: 'outrun.trigger.id',
  nodeId: 'outrun.node.id',
  nodeType: 'outrun.node.type',
  stepStatus: 'outrun.step.status',
  stepAttempt: 'outrun.step.attempt',
  stepDurationMs: 'outrun.step.duration_ms',
  errorCode: 'outrun.error.code',
  cost: 'outrun.cost.usd',
  priceSource: 'outrun.cost.price_source',
  priceVersion: 'outrun.cost.price_version',
} as const;

/** OpenTelemetry GenAI semantic conventions (client spans of model calls). */
export const GenAiAttr = {
  operationName: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cachedInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const;

/** HTTP semantic conventions (stable names). */
export const HttpAttr = {
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  url: 'url.full',
  route: 'http.route',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const;
