/** A workspace's AI settings: price overrides per model and whether model spans may carry prompt text. */
import { z } from 'zod';
import { Timestamp } from './common';

/** A model name as providers spell it (`gpt-5.4-mini`, `openai/gpt-5`, `llama3.1:8b`). */
export const AiModelName = z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');

/** USD per 1M tokens; `cachedInput` defaults to `input` (no cache discount). */
export const PriceOverrideInput = z.strictObject({
  input: z.number().min(0).max(100_000),
  cachedInput: z.number().min(0).max(100_000).optional(),
  output: z.number().min(0).max(100_000),
  /** Why this price (a contract, a self-hosted model at zero cost). */
  note: z.string().max(500).optional(),
});
export type PriceOverrideInput = z.infer<typeof PriceOverrideInput>;

/** One stored workspace price override. */
export const PriceOverride = PriceOverrideInput.extend({ model: AiModelName, updatedAt: Timestamp });
export type PriceOverride = z.infer<typeof PriceOverride>;

/** Workspace AI settings. */
export const WorkspaceAiSettings = z.strictObject({
  /** Put prompts and completions on model spans (`gen_ai.input.messages`/`output.messages`). @default false */
  traceContent: z.boolean(),
});
export type WorkspaceAiSettings = z.infer<typeof WorkspaceAiSettings>;
