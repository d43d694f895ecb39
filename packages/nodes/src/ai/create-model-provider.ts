/**
 * Builds the `openai` client and the Agents SDK model provider for ONE step. Never touches the SDK's
 * process-wide defaults (`setDefaultOpenAIClient`, `setOpenAIAPI`, ...): two steps with two providers
 * can run side by side in one runner.
 */
import OpenAI from 'openai';
import { OpenAIProvider } from '@openai/agents-openai';
import type { ResolvedAiProvider } from './ai-provider';

export interface ModelProviderOptions {
  /** Per-request timeout of the HTTP client. @default 600_000 (the SDK's) */
  timeoutMs?: number;
  /** The fetch the client uses (a credential's provider gets the SSRF-guarded one). @default the SDK's */
  fetch?: typeof globalThis.fetch;
}

/** A per-step client + provider pair. */
export interface StepModelProvider {
  client: OpenAI;
  provider: OpenAIProvider;
}

/**
 * `maxRetries: 0`: the engine's retry policy owns retries (a 429 surfaces at once with its Retry-After).
 * Every option that the client would otherwise read from `process.env` is given explicitly.
 */
export function createModelProvider(p: ResolvedAiProvider, options: ModelProviderOptions = {}): StepModelProvider {
  const client = new OpenAI({
    apiKey: p.apiKey,
    baseURL: p.baseURL,
    organization: p.organization ?? null,
    project: p.project ?? null,
    maxRetries: 0,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  const provider = new OpenAIProvider({
    openAIClient: client,
    useResponses: p.apiMode === 'responses',
    useResponsesWebSocket: false,
  });
  return { client, provider };
}
