/**
 * Wire formats of the OpenAI HTTP API as the official `openai` SDK parses them: Chat Completions and
 * Responses, plain JSON bodies and SSE event sequences. Used by the fake server in `openai-server.ts`.
 */

/** Token counts a scripted reply reports. `cachedTokens` is a subset of `inputTokens`, as in OpenAI's usage. */
export interface UsageSpec {
  inputTokens: number;
  outputTokens: number;
  /** @default 0 */
  cachedTokens?: number;
}

/** One function call a scripted reply asks the client to make. */
export interface ToolCallSpec {
  name: string;
  /** An object is sent as its JSON text; a string is sent verbatim (to script malformed arguments). */
  arguments: unknown;
  /** @default `call_<n>` */
  callId?: string;
}

/** What the fake model answers: final text or function calls. */
export interface ModelTurn {
  id: string;
  model: string;
  created: number;
  text?: string;
  toolCalls?: Array<Required<Pick<ToolCallSpec, 'name' | 'callId'>> & { arguments: string }>;
  usage: UsageSpec;
}

/** One SSE frame: `event:` line (Responses API only) and the JSON data. */
export interface SseFrame {
  event?: string;
  data: unknown;
}

const cached = (u: UsageSpec): number => u.cachedTokens ?? 0;

function chatUsage(u: UsageSpec): Record<string, unknown> {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: cached(u), audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function responsesUsage(u: UsageSpec): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: cached(u) },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** Splits text into a few deltas so streamed clients really reassemble it. */
export function chunkText(text: string, parts = 3): string[] {
  if (text.length <= parts) return [text];
  const size = Math.ceil(text.length / parts);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

// ── Chat Completions ──

function chatToolCalls(turn: ModelTurn): Array<Record<string, unknown>> | undefined {
  return turn.toolCalls?.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments } }));
}

/** `POST /v1/chat/completions` body (non-streamed). */
export function chatCompletion(turn: ModelTurn): Record<string, unknown> {
  const toolCalls = chatToolCalls(turn);
  return {
    id: turn.id,
    object: 'chat.completion',
    created: turn.created,
    model: turn.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: turn.text ?? null, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage: chatUsage(turn.usage),
  };
}

/** `POST /v1/chat/completions` with `stream: true`: chunks, then a usage chunk when asked, then `[DONE]`. */
export function chatCompletionChunks(turn: ModelTurn, includeUsage: boolean, parts = 3): SseFrame[] {
  const chunk = (choices: unknown[], usage: unknown = null): SseFrame => ({
    data: { id: turn.id, object: 'chat.completion.chunk', created: turn.created, model: turn.model, system_fingerprint: null, choices, usage },
  });
  const delta = (d: Record<string, unknown>, finish: string | null = null): unknown => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });
  const frames: SseFrame[] = [chunk([delta({ role: 'assistant', content: '', refusal: null })])];
  if (turn.text !== undefined) for (const piece of chunkText(turn.text, parts)) frames.push(chunk([delta({ content: piece })]));
  turn.toolCalls?.forEach((c, index) => {
    frames.push(chunk([delta({ tool_calls: [{ index, id: c.callId, type: 'function', function: { name: c.name, arguments: '' } }] })]));
    for (const piece of chunkText(c.arguments, parts)) frames.push(chunk([delta({ tool_calls: [{ index, function: { arguments: piece } }] })]));
  });
  frames.push(chunk([delta({}, turn.toolCalls ? 'tool_calls' : 'stop')]));
  if (includeUsage) frames.push(chunk([], chatUsage(turn.usage)));
  frames.push({ data: '[DONE]' });
  return frames;
}

// ── Responses ──

function responseOutput(turn: ModelTurn): Array<Record<string, unknown>> {
  const output: Array<Record<string, unknown>> = [];
  if (turn.text !== undefined) {
    output.push({
      id: `msg_${turn.id}`,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: turn.text, annotations: [], logprobs: [] }],
    });
  }
  for (const c of turn.toolCalls ?? []) {
    output.push({ id: `fc_${c.callId}`, type: 'function_call', status: 'completed', call_id: c.callId, name: c.name, arguments: c.arguments });
  }
  return output;
}

/** The `response` object (`POST /v1/responses` body, and inside `response.created`/`response.completed`). */
export function responseObject(turn: ModelTurn, request: Record<string, unknown>, done = true): Record<string, unknown> {
  return {
    id: turn.id,
    object: 'response',
    created_at: turn.created,
    status: done ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: request['instructions'] ?? null,
    max_output_tokens: request['max_output_tokens'] ?? null,
    model: turn.model,
    output: done ? responseOutput(turn) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: request['temperature'] ?? 1,
    text: request['text'] ?? { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: request['tools'] ?? [],
    top_p: request['top_p'] ?? 1,
    truncation: 'disabled',
    usage: done ? responsesUsage(turn.usage) : null,
    user: null,
    metadata: {},
  };
}

/** `POST /v1/responses` with `stream: true`: the named event sequence, ending with `response.completed`. */
export function responseEvents(turn: ModelTurn, request: Record<string, unknown>, parts = 3): SseFrame[] {
  const events: Array<Record<string, unknown>> = [];
  events.push({ type: 'response.created', response: responseObject(turn, request, false) });
  events.push({ type: 'response.in_progress', response: responseObject(turn, request, false) });
  responseOutput(turn).forEach((item, outputIndex) => {
    const id = item['id'];
    if (item['type'] === 'message') {
      const text = turn.text ?? '';
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } });
      events.push({ type: 'response.content_part.added', item_id: id, output_index: outputIndex, content_index: 0, part });
      for (const delta of chunkText(text, parts)) {
        events.push({ type: 'response.output_text.delta', item_id: id, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
      }
      events.push({ type: 'response.output_text.done', item_id: id, output_index: outputIndex, content_index: 0, text, logprobs: [] });
      events.push({ type: 'response.content_part.done', item_id: id, output_index: outputIndex, content_index: 0, part: { ...part, text } });
    } else {
      const args = String(item['arguments']);
      events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } });
      for (const delta of chunkText(args, parts)) {
        events.push({ type: 'response.function_call_arguments.delta', item_id: id, output_index: outputIndex, delta });
      }
      events.push({ type: 'response.function_call_arguments.done', item_id: id, output_index: outputIndex, arguments: args, name: item['name'] });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  events.push({ type: 'response.completed', response: responseObject(turn, request, true) });
  return events.map((e, i) => ({ event: String(e['type']), data: { ...e, sequence_number: i } }));
}

/** Serialises frames as `text/event-stream`. */
export function encodeSse(frames: SseFrame[]): string[] {
  return frames.map((f) => {
    const data = typeof f.data === 'string' ? f.data : JSON.stringify(f.data);
    return `${f.event ? `event: ${f.event}\n` : ''}data: ${data}\n\n`;
  });
}
