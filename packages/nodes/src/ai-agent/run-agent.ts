/**
 * One `ai-agent` step: resolve the provider, build a client + runner for this step only, run the agent
 * with its tools under the step's timeout and the run's cancel signal, and account tokens and cost.
 */
import { Agent, RunContext, Runner, type AgentOutputType, type ModelSettings, type Tool } from '@openai/agents-core';
import { ErrorCode, NonRetriableError, OperationalError, type JsonValue } from '@outrun/schemas';
import type { NodeContext, NodeResult } from '@outrun/engine';
import {
  assertBudget,
  createModelProvider,
  getAiServices,
  guardProviderUrl,
  providerFetch,
  resolveAiProvider,
  catalogueProviderFor,
  resolvePricing,
  toAiUsage,
  translateAiError,
  type AiUsage,
} from '../ai';
import { recordModelOutput, recordModelUsage, traceModelCall, type ModelCallInfo } from '../ai/trace-model-call';
import { toJson } from '../shared/to-json';
import { buildAgentTools, type ToolCallRecord, type ToolRuntime } from './agent-tools';
import { openMcpToolset, type McpToolset } from './mcp-tools';
import { outputSchemaToZod } from './output-schema';
import { runStreamed } from './stream-agent';
import type { AiAgentParams } from './params';

/** The step output: the agent's final answer plus what it did and what it cost. */
export interface AiAgentOutput {
  output: JsonValue;
  toolCalls: ToolCallRecord[];
  usage: AiUsage;
  model: string;
}

function userMessage(ctx: NodeContext<AiAgentParams>): string {
  const text = ctx.params.input ?? (typeof ctx.input === 'string' ? ctx.input : JSON.stringify(ctx.input));
  if (text.trim() === '') {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, 'The agent input is empty', { details: [{ path: 'data.input', message: 'empty after templates were evaluated' }] });
  }
  return text;
}

function modelSettings(p: AiAgentParams): ModelSettings {
  const s = p.modelSettings;
  return {
    ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s.topP !== undefined ? { topP: s.topP } : {}),
    ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
  };
}

/** The step usage the engine adds to the run (`StepUsage` fields only). */
function stepUsage(u: AiUsage, webhooksCalled: number): NonNullable<NodeResult['usage']> {
  const { model, inputTokens, cachedInputTokens, outputTokens, totalTokens, cost, priceSource, priceVersion } = u;
  return {
    model, inputTokens, cachedInputTokens, outputTokens, totalTokens, cost,
    ...(priceSource !== undefined ? { priceSource } : {}),
    ...(priceVersion !== undefined ? { priceVersion } : {}),
    webhooksCalled,
  };
}

/** Aborts on the run's signal or after `timeoutMs` on the injected clock. */
function stepAbort(ctx: NodeContext<AiAgentParams>): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const timeout = new AbortController();
  const stopTimer = new AbortController();
  let timedOut = false;
  ctx.clock.sleep(ctx.params.timeoutMs, stopTimer.signal).then(
    () => {
      timedOut = true;
      timeout.abort(new OperationalError(ErrorCode.NODE_TIMEOUT, `AI agent timed out after ${ctx.params.timeoutMs} ms`));
    },
    () => undefined,
  );
  return { signal: AbortSignal.any([ctx.signal, timeout.signal]), timedOut: () => timedOut, dispose: () => stopTimer.abort() };
}

function buildAgent(ctx: NodeContext<AiAgentParams>, rt: ToolRuntime, mcpTools: Tool[]): Agent<unknown, AgentOutputType> {
  const p = ctx.params;
  return new Agent({
    name: `outrun-${ctx.nodeId}`,
    instructions: p.instructions,
    model: p.model,
    modelSettings: modelSettings(p),
    tools: [...buildAgentTools(p.tools, rt), ...mcpTools],
    ...(p.outputSchema ? { outputType: outputSchemaToZod(p.outputSchema) } : {}),
  }) as unknown as Agent<unknown, AgentOutputType>;
}

/** Streamed when the runner relays live output (the run view shows the text growing), else one request per turn. */
async function runOnce(ctx: NodeContext<AiAgentParams>, rt: ToolRuntime, runner: Runner, runContext: RunContext<unknown>, mcpTools: Tool[]): Promise<JsonValue> {
  const options = { maxTurns: ctx.params.maxTurns, signal: rt.signal, context: runContext };
  const live = ctx.services.liveOutput;
  const agent = buildAgent(ctx, rt, mcpTools);
  const final: unknown = live
    ? await runStreamed(runner, agent, userMessage(ctx), options, live.open(ctx.nodeId, ctx.attempt))
    : (await runner.run(agent, userMessage(ctx), options)).finalOutput;
  if (final === undefined || final === null) throw new NonRetriableError(ErrorCode.AI_OUTPUT_INVALID, 'The agent finished without a final output');
  return toJson(final);
}

/** Executes the `ai-agent` node. */
export async function runAiAgent(ctx: NodeContext<AiAgentParams>): Promise<NodeResult> {
  const p = ctx.params;
  const ai = getAiServices(ctx.services);
  assertBudget(ctx.budget);
  const provider = await resolveAiProvider(ctx.services, ai, p.credentialId);
  const table = resolvePricing({
    pricingFile: ai.pricingFile,
    priceTable: ai.priceTable,
    workspacePriceTable: ai.workspacePriceTable,
    catalogueProvider: catalogueProviderFor(provider.baseURL),
  });
  await guardProviderUrl(provider, ai);
  const guarded = providerFetch(provider, ai);
  const { provider: modelProvider } = createModelProvider(provider, { timeoutMs: p.timeoutMs, ...(guarded ? { fetch: guarded.fetch } : {}) });
  const traced: ModelCallInfo = {
    model: p.model, baseURL: provider.baseURL, temperature: p.modelSettings.temperature, maxTokens: p.modelSettings.maxTokens,
    traceContent: ai.traceContent, input: ai.traceContent === true ? userMessage(ctx) : undefined,
  };
  const abort = stepAbort(ctx);
  const rt: ToolRuntime = { ctx, signal: abort.signal, calls: [], httpCalls: 0 };
  const runContext = new RunContext<unknown>({});
  const runner = new Runner({
    modelProvider,
    tracingDisabled: true,
    traceIncludeSensitiveData: false,
    // Before every model call (tool round trips included): stop if the run's budget is spent.
    callModelInputFilter: ({ modelData }) => {
      assertBudget(ctx.budget, toAiUsage(runContext.usage, p.model, table));
      return modelData;
    },
  });
  return traceModelCall(traced, async (span) => {
    let mcp: McpToolset | undefined;
    try {
      // MCP servers are connected per step (a restarted server is simply met fresh by the next step).
      if (p.mcpServers.length > 0) mcp = await openMcpToolset(p.mcpServers, rt, new Set(p.tools.map((t) => t.name)));
      const output = await runOnce(ctx, rt, runner, runContext, mcp?.tools ?? []);
      const usage = toAiUsage(runContext.usage, p.model, table);
      recordModelUsage(span, usage);
      recordModelOutput(span, traced, output);
      ctx.log.info('ai-agent finished', { model: p.model, provider: provider.source, apiMode: provider.apiMode, totalTokens: usage.totalTokens, cost: usage.cost, toolCalls: rt.calls.length });
      const stepOutput: AiAgentOutput = { output, toolCalls: rt.calls, usage, model: p.model };
      return { output: toJson(stepOutput), usage: stepUsage(usage, rt.httpCalls) };
    } catch (err) {
      const translated = translateAiError(err, { outer: ctx.signal, timedOut: abort.timedOut, timeoutMs: p.timeoutMs });
      // Tokens spent before the failure were billed too: carried on the error for the engine to count.
      const spent = toAiUsage(runContext.usage, p.model, table);
      recordModelUsage(span, spent);
      if (spent.totalTokens > 0 && !ctx.signal.aborted && translated instanceof Error && !Object.isFrozen(translated)) {
        Object.assign(translated, { usage: stepUsage(spent, rt.httpCalls) });
      }
      throw translated;
    } finally {
      abort.dispose();
      await mcp?.close();
      await guarded?.close();
    }
  });
}
