/** Parameters of the `ai-agent` node (the node's `data`, after `{{ }}` templates were evaluated). */
import { z } from 'zod';
import { CollectionName } from '@outrun/schemas';
import { catalogueModels } from '../ai/price-catalogue';
import { McpServerSpec } from './mcp-params';

/** Tool names as the OpenAI API accepts them. */
export const ToolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)');

/** Placeholders of an HTTP tool's URL template: `{name}` (single braces; `{{ }}` is the workflow's own template syntax). */
export const URL_PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;

/** An HTTP request the agent may make. The model fills the URL placeholders (and the body for POST/PUT/PATCH). */
export const HttpToolSpec = z.strictObject({
  type: z.literal('http'),
  name: ToolName,
  description: z.string().min(1).max(1024),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  /** e.g. `https://crm.example.com/companies/{company}`; placeholders are URL-encoded when filled. */
  urlTemplate: z.string().min(1).max(2048),
  /** Fixed headers sent on every call. */
  headers: z.record(z.string(), z.string()).optional(),
  /** A credential (`http_bearer`, `http_basic`, `http_header`) applied as headers, like the http-request node. */
  credentialId: z.string().min(1).optional(),
  /** @default 10_000 */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type HttpToolSpec = z.infer<typeof HttpToolSpec>;

/** A lookup in one workspace data collection by one field. */
export const DataLookupToolSpec = z.strictObject({
  type: z.literal('data_lookup'),
  name: ToolName,
  description: z.string().min(1).max(1024),
  collection: CollectionName,
  /** Documents returned at most. @default 10 */
  limit: z.number().int().min(1).max(100).default(10),
});
export type DataLookupToolSpec = z.infer<typeof DataLookupToolSpec>;

export const AgentToolSpec = z.discriminatedUnion('type', [HttpToolSpec, DataLookupToolSpec]);
export type AgentToolSpec = z.infer<typeof AgentToolSpec>;

/** A JSON Schema object for structured output (converted to zod; the SDK enforces it). */
export const OutputJsonSchema = z
  .record(z.string(), z.unknown())
  .refine((s) => s['type'] === 'object' && typeof s['properties'] === 'object', { message: 'outputSchema must be a JSON Schema with type "object" and properties' });

export const AiAgentParams = z
  .strictObject({
    /** The system prompt. */
    instructions: z.string().min(1).max(100_000).describe('System prompt: what the agent must do'),
    /** The user message; usually a template such as `{{ $string(input) }}`. Absent → the node's input (strings as is, else JSON). */
    input: z.string().max(1_000_000).optional().describe('User message, usually a template such as {{ $string(input) }}; empty = the node input as JSON'),
    /** A current small model the bundled catalogue prices. @default 'gpt-5.4-mini' */
    model: z
      .string().min(1).max(200).default('gpt-5.4-mini')
      .describe('Model name (OpenAI, or the name a local server knows, e.g. llama3.1:8b)')
      // The editor suggests the bundled price catalogue's current OpenAI models (any name is accepted).
      .meta({ examples: catalogueModels('openai') }),
    modelSettings: z
      .strictObject({
        temperature: z.number().min(0).max(2).optional(),
        topP: z.number().min(0).max(1).optional(),
        maxTokens: z.number().int().min(1).optional(),
      })
      .default({})
      .describe('Sampling settings passed to the model'),
    /** Model calls (turns) allowed, tool round trips included. @default 5 */
    maxTurns: z.number().int().min(1).max(50).default(5).describe('Model calls allowed, tool round trips included'),
    /** Whole agent run, all turns and tools. @default 120_000 */
    timeoutMs: z.number().int().min(1_000).max(900_000).default(120_000).describe('Time limit of the whole agent run (ms)'),
    outputSchema: OutputJsonSchema.optional().describe('JSON Schema (type object) of the structured output; empty = plain text'),
    tools: z.array(AgentToolSpec).max(32).default([]).describe('Tools the agent may call: http requests and data collection lookups'),
    /** MCP servers whose tools the agent may call (docs/mcp.md). */
    mcpServers: z.array(McpServerSpec).max(8).default([]).meta({ title: 'MCP servers' }).describe('MCP servers whose tools the agent may call (streamable HTTP, or allow-listed local commands); see docs/mcp.md'),
    /** An `openai` credential; absent → the workspace default (`services.ai`). */
    credentialId: z.string().min(1).optional().describe('An openai credential (apiKey, baseURL, apiMode); empty = the workspace default'),
  })
  .refine((p) => new Set(p.tools.map((t) => t.name)).size === p.tools.length, { message: 'tool names must be unique', path: ['tools'] })
  .refine((p) => new Set(p.mcpServers.map((s) => s.name)).size === p.mcpServers.length, { message: 'MCP server names must be unique', path: ['mcpServers'] });
export type AiAgentParams = z.infer<typeof AiAgentParams>;
