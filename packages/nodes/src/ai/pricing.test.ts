import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE_FILE, estimateCost, findModelPrice, loadPriceTable, resolvePriceTable } from './pricing';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-pricing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the shipped price table', () => {
  it('is valid, dated and says where its prices come from', () => {
    const table = loadPriceTable(DEFAULT_PRICE_TABLE_FILE);
    expect(DEFAULT_PRICE_TABLE_FILE).toMatch(/prices-\d{4}-\d{2}-\d{2}\.json$/);
    expect(DEFAULT_PRICE_TABLE_FILE).toContain(table.version);
    expect(table.source).toContain('openai.com');
    expect(table.models['gpt-4.1-mini']).toEqual({ input: 0.4, cachedInput: 0.1, output: 1.6 });
  });
});

describe('estimateCost', () => {
  const table = resolvePriceTable();

  it('prices uncached input, cached input and output separately, per 1M tokens', () => {
    // 1,000,000 input of which 400,000 cached, 100,000 output on gpt-4.1: 0.6 × 2 + 0.4 × 0.5 + 0.1 × 8.
    expect(estimateCost(table, 'gpt-4.1', { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 })).toBe(2.2);
    expect(estimateCost(table, 'gpt-4.1-mini', { inputTokens: 120, cachedInputTokens: 0, outputTokens: 30 })).toBe(0.000096);
  });

  it('is null (unpriced), never 0, for a model missing from the table', () => {
    expect(estimateCost(table, 'llama3.1:8b', { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 })).toBeNull();
  });

  it('finds dated snapshots and provider-prefixed names under their base model', () => {
    expect(findModelPrice(table, 'gpt-4.1-mini-2025-04-14')).toEqual(table.models['gpt-4.1-mini']);
    expect(findModelPrice(table, 'openai/gpt-4o')).toEqual(table.models['gpt-4o']);
    expect(findModelPrice(table, 'gpt-4.1-mini-preview')).toBeUndefined();
  });

  it('bills cached tokens at the input price when a model has no cache discount', () => {
    const t = resolvePriceTable({ priceTable: { version: 'x', currency: 'USD', models: { local: { input: 1, output: 2 } } } });
    expect(estimateCost(t, 'local', { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0 })).toBe(1);
  });
});

describe('overrides', () => {
  it('merges an override file model by model over the shipped table', async () => {
    const file = join(dir, 'prices-override.json');
    await writeFile(file, JSON.stringify({ version: '2026-11-25', currency: 'USD', models: { 'gpt-4.1-mini': { input: 1, output: 2 }, 'qwen2.5': { input: 0, output: 0 } } }));
    const table = resolvePriceTable({ pricingFile: file });
    expect(table.version).toBe('2026-11-25');
    expect(table.models['gpt-4.1-mini']).toEqual({ input: 1, output: 2 });
    expect(table.models['qwen2.5']).toEqual({ input: 0, output: 0 });
    expect(table.models['gpt-4o']).toBeDefined();
  });

  it('rejects an unreadable or malformed file with OUT_ERR_CONFIG', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 'x', currency: 'EUR', models: {} }));
    expect(() => loadPriceTable(bad)).toThrow(expect.objectContaining({ code: 'OUT_ERR_CONFIG' }) as Error);
    expect(() => loadPriceTable(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'OUT_ERR_CONFIG' }) as Error);
  });
});
