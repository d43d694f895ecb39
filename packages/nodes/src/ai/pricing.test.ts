import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_SOURCE, CATALOGUE_VERSION, catalogueModels, catalogueProviderFor } from './price-catalogue';
import { estimateCost, findModelPrice, loadPriceTable, resolvePricing, type PriceTable } from './pricing';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-pricing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const catalogue = { priceSource: CATALOGUE_SOURCE, priceVersion: CATALOGUE_VERSION };

describe('the bundled catalogue (@pydantic/genai-prices)', () => {
  const pricing = resolvePricing();

  it('prices current GPT-5.x small models with their cached-input discount, and says which catalogue version did', () => {
    // gpt-5.4-mini: 1M input of which 200k cached, 1M output: 0.8 × $0.75 + 0.2 × $0.075 + 1 × $4.50.
    expect(estimateCost(pricing, 'gpt-5.4-mini', { inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 1_000_000 })).toEqual({ cost: 5.115, ...catalogue });
    // gpt-5.4-nano: 120 input, 30 output: 120 × $0.20 + 30 × $1.25 per 1M.
    expect(estimateCost(pricing, 'gpt-5.4-nano', { inputTokens: 120, cachedInputTokens: 0, outputTokens: 30 })).toEqual({ cost: 0.0000615, ...catalogue });
    expect(CATALOGUE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('finds dated snapshots and provider-prefixed names', () => {
    const tokens = { inputTokens: 1000, cachedInputTokens: 0, outputTokens: 1000 };
    const base = estimateCost(pricing, 'gpt-5.4-mini', tokens).cost;
    expect(estimateCost(pricing, 'gpt-5.4-mini-2026-03-17', tokens).cost).toBe(base);
    expect(estimateCost(pricing, 'openai/gpt-5.4-mini', tokens).cost).toBe(base);
  });

  it('is unpriced (cost null, no source), never 0, for a model no source knows', () => {
    expect(estimateCost(pricing, 'llama3.1:8b', { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 })).toEqual({ cost: null });
  });

  it('chooses the provider from the base URL, OpenAI for compatible servers, and lists models for the editor', () => {
    expect(catalogueProviderFor('https://api.anthropic.com/v1')).toBe('anthropic');
    expect(catalogueProviderFor('http://127.0.0.1:11434/v1')).toBe('openai');
    expect(catalogueModels('openai')).toEqual(expect.arrayContaining(['gpt-5.4-mini', 'gpt-5.4-nano']));
  });
});

describe('overrides', () => {
  const negotiated: PriceTable = { version: 'acme-2026-12', currency: 'USD', models: { 'gpt-5.4-mini': { input: 0.5, output: 3 } } };

  it('an instance file prices models the catalogue lacks and wins over it, recording its version', async () => {
    const file = join(dir, 'prices-override.json');
    await writeFile(file, JSON.stringify({ version: '2026-11-25', currency: 'USD', models: { 'qwen2.5': { input: 0.1, output: 0.2 }, 'gpt-5.4-nano': { input: 1, cachedInput: 0.5, output: 2 } } }));
    const pricing = resolvePricing({ pricingFile: file });
    expect(estimateCost(pricing, 'qwen2.5', { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 })).toEqual({ cost: 0.3, priceSource: 'override:instance', priceVersion: '2026-11-25' });
    expect(estimateCost(pricing, 'gpt-5.4-nano', { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 0 }).cost).toBe(0.8);
    expect(estimateCost(pricing, 'gpt-5.4-mini', { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 }).priceSource).toBe(CATALOGUE_SOURCE);
  });

  it('the workspace override wins over the instance override', () => {
    const pricing = resolvePricing({ priceTable: { version: 'inst', currency: 'USD', models: { 'gpt-5.4-mini': { input: 9, output: 9 } } }, workspacePriceTable: negotiated });
    expect(estimateCost(pricing, 'gpt-5.4-mini', { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 })).toEqual({ cost: 3.5, priceSource: 'override:workspace', priceVersion: 'acme-2026-12' });
  });

  it('matches dated snapshots and bills cached tokens at the input price when there is no cache discount', () => {
    expect(findModelPrice(negotiated, 'gpt-5.4-mini-2026-03-17')).toEqual({ input: 0.5, output: 3 });
    expect(findModelPrice(negotiated, 'gpt-5.4-mini-preview')).toBeUndefined();
    const pricing = resolvePricing({ workspacePriceTable: negotiated });
    expect(estimateCost(pricing, 'gpt-5.4-mini', { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0 }).cost).toBe(0.5);
  });

  it('rejects an unreadable or malformed file with OUT_ERR_CONFIG', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 'x', currency: 'EUR', models: {} }));
    expect(() => loadPriceTable(bad)).toThrow(expect.objectContaining({ code: 'OUT_ERR_CONFIG' }) as Error);
    expect(() => loadPriceTable(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'OUT_ERR_CONFIG' }) as Error);
  });
});
