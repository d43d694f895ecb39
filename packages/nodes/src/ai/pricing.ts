/**
 * What one AI step cost, and which price source said so. Prices come from the bundled catalogue
 * (`price-catalogue.ts`) unless an override table names the model: the workspace's first, then the
 * instance's (`OUTRUN_AI_PRICES_FILE`). A model no source knows is unpriced (`cost: null`), never 0.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { CATALOGUE_SOURCE, CATALOGUE_VERSION, catalogueCost, type TokenCounts } from './price-catalogue';


/** Prices of one model in USD per 1M tokens. `cachedInput` defaults to `input` when the provider has no cache discount. */
export const ModelPrice = z.strictObject({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  output: z.number().min(0),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** An override price table (file or stored setting). `version` is what steps priced by it record. */
export const PriceTable = z.strictObject({
  version: z.string().min(1).max(100),
  currency: z.literal('USD'),
  unit: z.string().max(100).optional(),
  source: z.string().max(500).optional(),
  notes: z.string().max(2000).optional(),
  models: z.record(z.string().min(1).max(200), ModelPrice),
});
export type PriceTable = z.infer<typeof PriceTable>;

const fileCache = new Map<string, PriceTable>();

/** Reads and validates an override file (cached per path: the file is read once per process). */
export function loadPriceTable(file: string): PriceTable {
  const hit = fileCache.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new NonRetriableError(ErrorCode.CONFIG, `Cannot read the AI price override file ${file}: ${String(cause)}`, { cause });
  }
  const parsed = PriceTable.safeParse(raw);
  if (!parsed.success) {
    throw new NonRetriableError(ErrorCode.CONFIG, `Invalid AI price override file ${file}`, {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  fileCache.set(file, parsed.data);
  return parsed.data;
}

/** Where prices come from besides the catalogue. */
export interface PriceTableSources {
  /** The instance override file (`OUTRUN_AI_PRICES_FILE`). */
  pricingFile?: string | undefined;
  /** An instance override held in memory (tests, embedded setups); wins over `pricingFile`. */
  priceTable?: PriceTable | undefined;
  /** The workspace's stored override; wins over the instance's. */
  workspacePriceTable?: PriceTable | undefined;
  /** Catalogue provider id (`catalogueProviderFor(baseURL)`). @default 'openai' */
  catalogueProvider?: string | undefined;
}

/** One override layer and the name steps record for it. */
interface OverrideLayer {
  source: 'override:workspace' | 'override:instance';
  table: PriceTable;
}

/** The effective price sources of one step, most specific first, then the catalogue. */
export interface Pricing {
  overrides: OverrideLayer[];
  catalogueProvider: string;
}

/** Collects the override layers (reading the instance file once per process). */
export function resolvePricing(sources: PriceTableSources = {}): Pricing {
  const overrides: OverrideLayer[] = [];
  if (sources.workspacePriceTable) overrides.push({ source: 'override:workspace', table: sources.workspacePriceTable });
  if (sources.priceTable) overrides.push({ source: 'override:instance', table: sources.priceTable });
  if (sources.pricingFile) overrides.push({ source: 'override:instance', table: loadPriceTable(sources.pricingFile) });
  return { overrides, catalogueProvider: sources.catalogueProvider ?? 'openai' };
}

/** The price of `model` in an override table: exact name, then without a `provider/` prefix, then without a `-YYYY-MM-DD` snapshot suffix. */
export function findModelPrice(table: PriceTable, model: string): ModelPrice | undefined {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  for (const name of [model, bare, bare.replace(/-\d{4}-\d{2}-\d{2}$/, '')]) {
    const price = table.models[name];
    if (price) return price;
  }
  return undefined;
}

/** A step's cost and what priced it. `cost: null` = unpriced (then no source). */
export interface CostEstimate {
  cost: number | null;
  /** `@pydantic/genai-prices`, `override:workspace` or `override:instance`. */
  priceSource?: string;
  /** The catalogue's package version, or the override table's `version`. */
  priceVersion?: string;
}

const round = (usd: number): number => Math.round(usd * 1e12) / 1e12;

function tableCost(price: ModelPrice, tokens: TokenCounts): number {
  const cached = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  const micro = (tokens.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + tokens.outputTokens * price.output;
  return micro / 1e6;
}

/** Estimated USD cost (rounded to 1e-12) with its price source; unpriced when no source knows the model. */
export function estimateCost(pricing: Pricing, model: string, tokens: TokenCounts): CostEstimate {
  for (const layer of pricing.overrides) {
    const price = findModelPrice(layer.table, model);
    if (price) return { cost: round(tableCost(price, tokens)), priceSource: layer.source, priceVersion: layer.table.version };
  }
  const cost = catalogueCost(pricing.catalogueProvider, model, tokens);
  if (cost === undefined) return { cost: null };
  return { cost: round(cost), priceSource: CATALOGUE_SOURCE, priceVersion: CATALOGUE_VERSION };
}
