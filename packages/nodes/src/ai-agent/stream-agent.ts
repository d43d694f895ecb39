/**
 * Runs the agent streamed and relays what arrives to the run view while the step runs: every text delta of
 * the model and each tool call (called, returned). The final output is the SDK's, exactly as without
 * streaming; the relayed text of the last turn is that output's text.
 */
import type { Agent, AgentOutputType, RunContext, Runner, RunStreamEvent } from '@openai/agents-core';
import type { NodeServices } from '@outrun/engine';

type LiveWriter = ReturnType<NonNullable<NodeServices['liveOutput']>['open']>;

interface StreamRunOptions {
  maxTurns: number;
  signal: AbortSignal;
  context: RunContext<unknown>;
}

function toolCallOf(raw: unknown): { callId: string; name: string } | undefined {
  const r = raw as { callId?: unknown; id?: unknown; name?: unknown } | null;
  if (!r || typeof r.name !== 'string') return undefined;
  const callId = typeof r.callId === 'string' ? r.callId : typeof r.id === 'string' ? r.id : '';
  return { callId, name: r.name };
}

function relay(event: RunStreamEvent, live: LiveWriter): void {
  if (event.type === 'raw_model_stream_event') {
    if (event.data.type === 'output_text_delta') live.write(event.data.delta);
    return;
  }
  if (event.type !== 'run_item_stream_event') return;
  if (event.name !== 'tool_called' && event.name !== 'tool_output') return;
  const call = toolCallOf(event.item.rawItem);
  if (call) live.toolCall({ ...call, status: event.name === 'tool_called' ? 'called' : 'returned' });
}

/** `runner.run(..., { stream: true })`, relaying events to `live`; resolves with the final output. */
export async function runStreamed(
  runner: Runner,
  agent: Agent<unknown, AgentOutputType>,
  input: string,
  options: StreamRunOptions,
  live: LiveWriter,
): Promise<unknown> {
  try {
    const result = await runner.run(agent, input, { ...options, stream: true });
    for await (const event of result) relay(event, live);
    await result.completed;
    if (result.error !== undefined && result.error !== null) throw result.error;
    // An aborted stream ends quietly: surface the abort as the non-streamed run would.
    if (options.signal.aborted) throw options.signal.reason;
    return result.finalOutput;
  } finally {
    live.end();
  }
}
