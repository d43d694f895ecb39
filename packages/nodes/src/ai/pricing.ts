/**
 * The versioned AI price table: per model, USD per 1M input, cached-input and output tokens.
 * The shipped table lives in `packages/nodes/pricing/prices-YYYY-MM-DD.json` (source and date inside);
 * an operator can override or extend it with a file of the same shape.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';

/** Prices of one model in USD per 1M tokens. `cachedInput` defaults to `input` when the provider has no cache discount. */
export const ModelPrice = z.strictObject({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  output: z.number().min(0),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** A price table file. `version` is the date the prices were taken from `source`. */
export const PriceTable = z.strictObject({
  version: z.string().min(1),
  currency: z.literal('USD'),
  unit: z.string().optional(),
  source: z.string().optional(),
  notes: z.string().optional(),
  models: z.record(z.string().min(1), ModelPrice),
});
export type PriceTable = z.infer<typeof PriceTable>;

/** Path of the price table shipped with the repo. */
export const DEFAULT_PRICE_TABLE_FILE = fileURLToPath(new URL('../../pricing/prices-2025-08-07.json', import.meta.url));

const fileCache = new Map<string, PriceTable>();

/** Reads and validates a price table file (cached per path: the file is read once per process). */
export function loadPriceTable(file: string): PriceTable {
  const hit = fileCache.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new NonRetriableError(ErrorCode.CONFIG, `Cannot read the AI price table ${file}: ${String(cause)}`, { cause });
  }
  const parsed = PriceTable.safeParse(raw);
  if (!parsed.success) {
    throw new NonRetriableError(ErrorCode.CONFIG, `Invalid AI price table ${file}`, {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  fileCache.set(file, parsed.data);
  return parsed.data;
}

/** Where the effective table comes from: the shipped one, with an override file and/or an in-memory table on top. */
export interface PriceTableSources {
  /** A file whose models replace or extend the shipped table's. */
  pricingFile?: string | undefined;
  /** An in-memory table applied last (tests, embedded setups). */
  priceTable?: PriceTable | undefined;
}

/** The shipped table with overrides merged model by model (an override's `version` wins). */
export function resolvePriceTable(sources: PriceTableSources = {}): PriceTable {
  let table = loadPriceTable(DEFAULT_PRICE_TABLE_FILE);
  for (const override of [sources.pricingFile ? loadPriceTable(sources.pricingFile) : undefined, sources.priceTable]) {
    if (override) table = { ...table, version: override.version, models: { ...table.models, ...override.models } };
  }
  return table;
}

/** The price of `model`: exact name, then without a `provider/` prefix, then without a `-YYYY-MM-DD` snapshot suffix. */
export function findModelPrice(table: PriceTable, model: string): ModelPrice | undefined {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  for (const name of [model, bare, bare.replace(/-\d{4}-\d{2}-\d{2}$/, '')]) {
    const price = table.models[name];
    if (price) return price;
  }
  return undefined;
}

/** Token counts to price. `cachedInputTokens` is the part of `inputTokens` served from the cache. */
export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** Estimated USD cost, or `null` when the model is not in the table (unpriced, never 0). Rounded to 1e-12 USD. */
export function estimateCost(table: PriceTable, model: string, tokens: TokenCounts): number | null {
  const price = findModelPrice(table, model);
  if (!price) return null;
  const cached = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  const micro = (tokens.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + tokens.outputTokens * price.output;
  return Math.round((micro / 1e6) * 1e12) / 1e12;
}
