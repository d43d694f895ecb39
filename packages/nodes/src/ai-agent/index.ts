/**
 * `ai-agent`: runs an OpenAI Agents SDK agent (instructions, templated input, model settings, tools,
 * optional structured output) against OpenAI or any OpenAI-compatible server, and reports tokens and
 * estimated cost as the step's usage. See README.md in this folder.
 */
import { defineNode, IN, OUT } from '../define-node';
import { AiAgentParams } from './params';

export { AiAgentParams, AgentToolSpec, HttpToolSpec, DataLookupToolSpec } from './params';
export type { AiAgentOutput } from './run-agent';
export type { ToolCallRecord } from './agent-tools';

export const aiAgentNode = defineNode({
  type: 'ai-agent',
  label: 'AI agent',
  description: 'Runs an AI agent (OpenAI or a compatible server) with tools and optional structured output; reports tokens and cost.',
  category: 'ai',
  icon: 'sparkles',
  params: AiAgentParams,
  inputs: IN,
  outputs: OUT,
  // The Agents SDK and the openai client take ~1 s to load: only processes that run an AI step pay it
  // (the API describing the catalog does not).
  execute: async (ctx) => (await import('./run-agent')).runAiAgent(ctx),
});
