/**
 * The model span of one `ai-agent` step, after the OpenTelemetry GenAI semantic conventions: `chat <model>`
 * (client) with `gen_ai.request.model`, `gen_ai.usage.input_tokens`/`output_tokens`, the server address,
 * plus the step's cost and price source. One span covers every model call of the step (tool round trips
 * included; usage is their sum). Prompt and completion text only when `traceContent` is set.
 */
import { GenAiAttr, isTracingEnabled, OutrunAttr, SpanKind, withSpan, type Span } from '@outrun/telemetry';
import type { AiUsage } from './step-usage';

export interface ModelCallInfo {
  model: string;
  baseURL: string;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /** Record the input and the final output as `gen_ai.input.messages` / `gen_ai.output.messages`. @default false */
  traceContent?: boolean | undefined;
  input?: string | undefined;
}

const MAX_CONTENT_CHARS = 16_384;

export function traceModelCall<T>(info: ModelCallInfo, call: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return call(undefined);
  const url = new URL(info.baseURL);
  const attributes = {
    [GenAiAttr.operationName]: 'chat',
    [GenAiAttr.providerName]: url.hostname === 'api.openai.com' ? 'openai' : 'openai_compatible',
    [GenAiAttr.system]: 'openai',
    [GenAiAttr.requestModel]: info.model,
    [GenAiAttr.serverAddress]: url.hostname,
    [GenAiAttr.serverPort]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ...(info.temperature !== undefined ? { [GenAiAttr.requestTemperature]: info.temperature } : {}),
    ...(info.maxTokens !== undefined ? { [GenAiAttr.requestMaxTokens]: info.maxTokens } : {}),
    ...(info.traceContent && info.input !== undefined
      ? { [GenAiAttr.inputMessages]: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: info.input.slice(0, MAX_CONTENT_CHARS) }] }]) }
      : {}),
  };
  return withSpan(`chat ${info.model}`, { kind: SpanKind.CLIENT, attributes }, call);
}

/** Usage and cost on the model span (also when the step failed after spending tokens). */
export function recordModelUsage(span: Span | undefined, usage: AiUsage): void {
  if (!span) return;
  span.setAttribute(GenAiAttr.responseModel, usage.model);
  span.setAttribute(GenAiAttr.inputTokens, usage.inputTokens);
  span.setAttribute(GenAiAttr.outputTokens, usage.outputTokens);
  span.setAttribute(GenAiAttr.cachedInputTokens, usage.cachedInputTokens);
  if (usage.cost !== null) span.setAttribute(OutrunAttr.cost, usage.cost);
  if (usage.priceSource !== undefined) span.setAttribute(OutrunAttr.priceSource, usage.priceSource);
  if (usage.priceVersion !== undefined) span.setAttribute(OutrunAttr.priceVersion, usage.priceVersion);
}

/** The final output as `gen_ai.output.messages`, only when content tracing is on. */
export function recordModelOutput(span: Span | undefined, info: ModelCallInfo, output: unknown): void {
  if (!span || !info.traceContent) return;
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  span.setAttribute(GenAiAttr.outputMessages, JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text.slice(0, MAX_CONTENT_CHARS) }] }]));
}
