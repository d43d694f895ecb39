/**
 * Token usage of one agent run as Outrun counts it (input, cached input, output, total) with its
 * estimated cost, and the run budget check made before every model call.
 */
import type { Usage } from '@openai/agents-core';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import type { RunBudget } from '@outrun/engine';
import { estimateCost, type Pricing } from './pricing';

/** Tokens and cost of one AI step. `cost: null` = the model is not in the price table. */
export interface AiUsage {
  model: string;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cost: number | null;
  /** What priced the step (`@pydantic/genai-prices`, `override:workspace`, `override:instance`); absent when unpriced. */
  priceSource?: string;
  /** The catalogue's version or the override table's `version`. */
  priceVersion?: string;
}

/** Reads the SDK's accumulated usage (cached tokens live in `inputTokensDetails[].cached_tokens`, one entry per request). */
export function toAiUsage(usage: Usage, model: string, pricing: Pricing): AiUsage {
  const cachedInputTokens = usage.inputTokensDetails.reduce((sum, d) => sum + (d['cached_tokens'] ?? 0), 0);
  const counts = { inputTokens: usage.inputTokens, cachedInputTokens, outputTokens: usage.outputTokens };
  return {
    model,
    requests: usage.requests,
    ...counts,
    totalTokens: usage.totalTokens,
    ...estimateCost(pricing, model, counts),
  };
}

/**
 * Throws `OUT_ERR_BUDGET_EXCEEDED` when the run (steps before this one + this step so far) has reached
 * `maxTokens` or `maxCost`: the next model call would exceed it. Same rule as the engine's pre-step check.
 */
export function assertBudget(budget: RunBudget, step?: Pick<AiUsage, 'totalTokens' | 'cost'>): void {
  const tokens = budget.usedTokens + (step?.totalTokens ?? 0);
  const cost = budget.usedCost + (step?.cost ?? 0);
  const overTokens = budget.maxTokens !== undefined && tokens >= budget.maxTokens;
  const overCost = budget.maxCost !== undefined && cost >= budget.maxCost;
  if (overTokens || overCost) {
    throw new NonRetriableError(
      ErrorCode.BUDGET_EXCEEDED,
      `Run budget exhausted before the next AI call: ${tokens} tokens, $${cost.toFixed(6)} used (limits: ${budget.maxTokens ?? '∞'} tokens, $${budget.maxCost ?? '∞'})`,
    );
  }
}
