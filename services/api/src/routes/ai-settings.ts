/**
 * A workspace's AI settings: per-model price overrides (workspace > instance file > catalogue), the content
 * tracing opt-in, and the catalogue's models per provider for the editor's model field.
 */
import { AiModelName, CatalogueModels, ErrorCode, Id, PriceOverride, PriceOverrideList, UserError, PriceOverrideInput, WorkspaceAiSettings } from '@outrun/schemas';
import { CATALOGUE_SOURCE, CATALOGUE_VERSION, OpenAiCredentialData, catalogueModels, catalogueProviderFor, catalogueProviders } from '@outrun/nodes';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { WsParams, withErrors } from './common';

const ModelParams = z.object({ ws: Id, model: AiModelName });

/** Overrides per workspace: the runner reads them all at each run attempt, so their number stays small. */
export const MAX_PRICE_OVERRIDES = 500;
const ModelsQuery = z.strictObject({
  provider: z.string().min(1).max(100).optional(),
  /** An `openai` credential: its base URL decides the provider. */
  credentialId: Id.optional(),
});

export function aiSettingsRoutes(deps: ResolvedDeps): Route[] {
  const { aiSettings, credentials } = deps.store;
  const prices = '/api/workspaces/:ws/ai/prices';
  return [
    defineRoute({
      method: 'get', path: prices, summary: 'List the workspace AI price overrides (USD per 1M tokens)', tag: 'ai', extension: true, auth: 'workspace', permission: 'workspace:read',
      params: WsParams,
      responses: withErrors({ 200: { description: 'Overrides, by model', schema: PriceOverrideList } }),
      async handle({ params }) {
        return { status: 200, body: { items: await aiSettings.listPriceOverrides(params.ws), catalogue: { source: CATALOGUE_SOURCE, version: CATALOGUE_VERSION } } };
      },
    }),
    defineRoute({
      method: 'put', path: `${prices}/:model`, summary: 'Set the price of one model for this workspace (wins over the instance file and the catalogue)', tag: 'ai', extension: true,
      auth: 'workspace', permission: 'credential:manage', params: ModelParams, body: PriceOverrideInput,
      responses: withErrors({ 200: { description: 'Stored', schema: PriceOverride } }, { 409: { description: 'At the 500 overrides of a workspace (`OUT_ERR_QUOTA_PRICE_OVERRIDES`)' } }),
      async handle({ params, body }) {
        const existing = await aiSettings.listPriceOverrides(params.ws);
        if (existing.length >= MAX_PRICE_OVERRIDES && !existing.some((o) => o.model === params.model)) {
          throw new UserError(ErrorCode.QUOTA_PRICE_OVERRIDES, `The workspace already has ${existing.length} AI price overrides (at most ${MAX_PRICE_OVERRIDES}). Remove one first.`, 409, {
            details: [{ path: 'quota.priceOverrides', message: `limit ${MAX_PRICE_OVERRIDES}, used ${existing.length}` }],
          });
        }
        return { status: 200, body: await aiSettings.putPriceOverride(params.ws, params.model, body) };
      },
    }),
    defineRoute({
      method: 'delete', path: `${prices}/:model`, summary: 'Remove a workspace price override', tag: 'ai', extension: true, auth: 'workspace', permission: 'credential:manage', params: ModelParams,
      responses: withErrors({ 204: { description: 'Removed' } }),
      async handle({ params }) {
        if (!(await aiSettings.deletePriceOverride(params.ws, params.model))) throw notFound('Price override');
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/ai/settings', summary: 'Workspace AI settings (content tracing opt-in)', tag: 'ai', extension: true, auth: 'workspace', permission: 'workspace:read',
      params: WsParams,
      responses: withErrors({ 200: { description: 'Settings', schema: WorkspaceAiSettings } }),
      async handle({ params }) {
        return { status: 200, body: await aiSettings.getAiSettings(params.ws) };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/workspaces/:ws/ai/settings', summary: 'Replace the workspace AI settings', tag: 'ai', extension: true, auth: 'workspace', permission: 'credential:manage',
      params: WsParams, body: WorkspaceAiSettings,
      responses: withErrors({ 200: { description: 'Stored', schema: WorkspaceAiSettings } }),
      async handle({ params, body }) {
        return { status: 200, body: await aiSettings.setAiSettings(params.ws, body) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/ai/models', summary: "The price catalogue's current models of a provider (editor suggestions)", tag: 'ai', extension: true,
      auth: 'workspace', permission: 'workflow:read', params: WsParams, query: ModelsQuery,
      responses: withErrors({ 200: { description: 'Models, newest families first', schema: CatalogueModels } }),
      async handle({ params, query }) {
        let provider = query.provider ?? 'openai';
        if (query.credentialId !== undefined) {
          // Only the provider id derived from the base URL leaves the API, never the credential's data.
          const data = OpenAiCredentialData.safeParse(await credentials.getSecret(params.ws, query.credentialId));
          if (!data.success) throw notFound('openai credential');
          provider = catalogueProviderFor(data.data.baseURL);
        }
        return { status: 200, body: { provider, models: catalogueModels(provider), providers: catalogueProviders() } };
      },
    }),
  ];
}
