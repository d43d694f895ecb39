/**
 * Which OpenAI-compatible server an AI step talks to, and with which key: the node's credential, else
 * the workspace default the runner lends in `ctx.services.ai`. Resolved per step; nothing global.
 */
import { z } from 'zod';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';
import { PriceTable } from './pricing';
import { assertCredentialHost } from '../shared/credential-host';

/** The two OpenAI APIs the Agents SDK speaks. Compatible servers (Ollama, vLLM, LM Studio) implement chat completions. */
export const AiApiMode = z.enum(['responses', 'chat_completions']);
export type AiApiMode = z.infer<typeof AiApiMode>;

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** `data` of a credential of type `openai`. A local server may need no key, but then it needs a `baseURL`. */
export const OpenAiCredentialData = z
  .object({
    apiKey: z.string().min(1).optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    apiMode: AiApiMode.optional(),
    organization: z.string().min(1).optional(),
    project: z.string().min(1).optional(),
  })
  .refine((d) => d.apiKey !== undefined || d.baseURL !== undefined, { message: 'an openai credential needs apiKey (OpenAI) or baseURL (local server)' });
export type OpenAiCredentialData = z.infer<typeof OpenAiCredentialData>;

/**
 * What the runner puts in `ctx.services.ai` (every field optional): the workspace/environment default
 * provider (`OPENAI_API_KEY`, base URL, API mode), or a default credential id, and price table overrides.
 */
export const AiServices = z.object({
  apiKey: z.string().min(1).optional(),
  baseURL: z.url({ protocol: /^https?$/ }).optional(),
  apiMode: AiApiMode.optional(),
  /** A credential (type `openai`) of the workspace used when the node names none. Wins over `apiKey`/`baseURL`. */
  defaultCredentialId: z.string().min(1).optional(),
  /** The instance price override file (`OUTRUN_AI_PRICES_FILE`), consulted before the bundled catalogue. */
  pricingFile: z.string().min(1).optional(),
  /** An instance price override held in memory (tests, embedded setups); wins over `pricingFile`. */
  priceTable: PriceTable.optional(),
  /** Put the prompt and the final output on the model span (`gen_ai.input.messages`/`output.messages`). @default false */
  traceContent: z.boolean().optional(),
  /** The workspace's price override; wins over the instance's. */
  workspacePriceTable: PriceTable.optional(),
  /** Private destinations a credential's `baseURL` may point at (same forms as OUTRUN_HTTP_ALLOW_LIST). @default [] */
  allowList: z.array(z.string()).optional(),
  /** Accept any credential `baseURL`, private ones included (trusted single-user installs). @default false */
  allowPrivateNetwork: z.boolean().optional(),
});
export type AiServices = z.infer<typeof AiServices>;

/** The provider one step uses. */
export interface ResolvedAiProvider {
  apiKey: string;
  baseURL: string;
  apiMode: AiApiMode;
  organization?: string;
  project?: string;
  /** Where it came from, for logs (never the key). */
  source: 'node-credential' | 'workspace-credential' | 'services';
}

/** Reads `ctx.services.ai`, failing clearly when the runner handed something malformed. */
export function getAiServices(services: NodeServices): AiServices {
  const parsed = AiServices.safeParse(services['ai'] ?? {});
  if (parsed.success) return parsed.data;
  throw new NonRetriableError(ErrorCode.CONFIG, 'Invalid AI provider configuration (services.ai)', {
    details: parsed.error.issues.map((i) => ({ path: ['services', 'ai', ...i.path.map(String)].join('.'), message: i.message })),
  });
}

/** `chat_completions` for compatible servers, `responses` for api.openai.com, unless stated. */
export function defaultApiMode(baseURL: string): AiApiMode {
  return new URL(baseURL).hostname === 'api.openai.com' ? 'responses' : 'chat_completions';
}

function fromData(data: OpenAiCredentialData, source: ResolvedAiProvider['source']): ResolvedAiProvider {
  const baseURL = data.baseURL ?? OPENAI_BASE_URL;
  return {
    // Local servers ignore the key, but the client requires one.
    apiKey: data.apiKey ?? 'not-needed',
    baseURL,
    apiMode: data.apiMode ?? defaultApiMode(baseURL),
    ...(data.organization ? { organization: data.organization } : {}),
    ...(data.project ? { project: data.project } : {}),
    source,
  };
}

async function fromCredential(services: NodeServices, id: string, source: ResolvedAiProvider['source']): Promise<ResolvedAiProvider> {
  const data = services.credentials ? await services.credentials.get(id) : null;
  if (data === null) throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential "${id}" not found in this workspace`);
  const parsed = OpenAiCredentialData.safeParse(data);
  if (!parsed.success) {
    throw new NonRetriableError(ErrorCode.AI_AUTH, `Credential "${id}" is not a valid openai credential`, {
      details: parsed.error.issues.map((i) => ({ path: ['credential', ...i.path.map(String)].join('.'), message: i.message })),
    });
  }
  const provider = fromData(parsed.data, source);
  // An openai credential from before allowed hosts existed may reach its own baseURL only: that host is in its
  // sealed data, which only its creator chose (no route edits it), so this keeps old credentials working safely.
  const url = new URL(provider.baseURL);
  await assertCredentialHost(services, id, url, 'credentialId', [url.origin]);
  return provider;
}

/** Node credential → workspace default credential → `services.ai` key/base URL; none → `OUT_ERR_AI_AUTH`. */
export async function resolveAiProvider(services: NodeServices, ai: AiServices, credentialId: string | undefined): Promise<ResolvedAiProvider> {
  if (credentialId !== undefined) return fromCredential(services, credentialId, 'node-credential');
  if (ai.defaultCredentialId !== undefined) return fromCredential(services, ai.defaultCredentialId, 'workspace-credential');
  if (ai.apiKey !== undefined || ai.baseURL !== undefined) {
    return fromData({ apiKey: ai.apiKey, baseURL: ai.baseURL, apiMode: ai.apiMode } as OpenAiCredentialData, 'services');
  }
  throw new NonRetriableError(
    ErrorCode.AI_AUTH,
    'No AI provider configured: set credentialId on the node (an openai credential) or OPENAI_API_KEY for the runner',
  );
}
