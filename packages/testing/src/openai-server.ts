/**
 * A local OpenAI-compatible HTTP server for tests: `/v1/chat/completions` and `/v1/responses`, plain and
 * streamed (SSE), answering from a script of replies (text, structured JSON, function calls, errors) with
 * exact usage numbers. The real `openai` SDK (and the Agents SDK on top) talks to it over HTTP.
 *
 * It is the only fake the test rules allow (the OpenAI API itself); everything else is real.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  chatCompletion,
  chatCompletionChunks,
  encodeSse,
  responseEvents,
  responseObject,
  type ModelTurn,
  type SseFrame,
  type ToolCallSpec,
  type UsageSpec,
} from './openai-wire';

export type { ToolCallSpec, UsageSpec } from './openai-wire';

interface TurnReplyBase {
  usage?: UsageSpec;
  /** The `model` field of the answer. @default the request's model */
  model?: string;
}

/** One scripted answer, consumed by the next model request (either API). */
export type ScriptedReply =
  | (TurnReplyBase & { type: 'text'; text: string })
  | (TurnReplyBase & { type: 'json'; value: unknown })
  | (TurnReplyBase & { type: 'tool_calls'; calls: ToolCallSpec[] })
  | { type: 'error'; status: number; errorType?: string; code?: string | null; message?: string; retryAfter?: string }
  /** Never answers; the request stays open until the client gives up or the server closes. */
  | { type: 'hang' };

/** Shorthands for scripted replies, including the error bodies OpenAI really sends. */
export const reply = {
  text: (text: string, usage?: UsageSpec): ScriptedReply => ({ type: 'text', text, ...(usage ? { usage } : {}) }),
  json: (value: unknown, usage?: UsageSpec): ScriptedReply => ({ type: 'json', value, ...(usage ? { usage } : {}) }),
  toolCall: (name: string, args: unknown, usage?: UsageSpec, callId?: string): ScriptedReply => ({
    type: 'tool_calls',
    calls: [{ name, arguments: args, ...(callId ? { callId } : {}) }],
    ...(usage ? { usage } : {}),
  }),
  rateLimited: (retryAfterSeconds = 1): ScriptedReply => ({
    type: 'error', status: 429, errorType: 'requests', code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests', retryAfter: String(retryAfterSeconds),
  }),
  insufficientQuota: (): ScriptedReply => ({
    type: 'error', status: 429, errorType: 'insufficient_quota', code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  }),
  unauthorized: (): ScriptedReply => ({
    type: 'error', status: 401, errorType: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.',
  }),
  forbidden: (): ScriptedReply => ({
    type: 'error', status: 403, errorType: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.',
  }),
  serverError: (status = 500): ScriptedReply => ({
    type: 'error', status, errorType: 'server_error', code: null, message: 'The server had an error while processing your request.',
  }),
  hang: (): ScriptedReply => ({ type: 'hang' }),
};

/** A request the server received, with the reply it got. */
export interface RecordedRequest {
  method: string;
  path: string;
  api: 'chat_completions' | 'responses' | 'other';
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  stream: boolean;
  reply: ScriptedReply | null;
}

export interface OpenAiServerOptions {
  /** Usage reported when a reply has none. @default { inputTokens: 10, outputTokens: 5, cachedTokens: 0 } */
  defaultUsage?: UsageSpec;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 (and consume no reply). */
  apiKey?: string;
  /** Awaited before each scripted reply is served (0-based): lets a test change the world between two model turns. */
  beforeReply?: (index: number) => Promise<void> | void;
  /** Streamed answers: how many deltas a text (or tool arguments) is split into. @default 3 */
  streamChunks?: number;
  /** Streamed answers: pause after each SSE frame (ms), so a client sees the text grow. @default 0 */
  streamDelayMs?: number;
}

export interface OpenAiServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:45678/v1`. */
  url: string;
  /** Appends replies; each model request consumes the next one. */
  script(replies: ScriptedReply[]): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Replies not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

const API_PATHS: Record<string, RecordedRequest['api']> = {
  '/v1/chat/completions': 'chat_completions',
  '/v1/responses': 'responses',
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'req_fake', ...headers });
  res.end(text);
}

async function sendSse(res: ServerResponse, frames: SseFrame[], delayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const chunk of encodeSse(frames)) {
    if (res.destroyed) return;
    res.write(chunk);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  res.end();
}

function errorBody(r: Extract<ScriptedReply, { type: 'error' }>): unknown {
  return { error: { message: r.message ?? `error ${r.status}`, type: r.errorType ?? 'server_error', param: null, code: r.code ?? null } };
}

function toTurn(r: Extract<ScriptedReply, { type: 'text' | 'json' | 'tool_calls' }>, body: Record<string, unknown>, n: number, usage: UsageSpec): ModelTurn {
  const requested = typeof body['model'] === 'string' ? body['model'] : 'unknown-model';
  const base = { id: `${n}_fake`, model: r.model ?? requested, created: 1_700_000_000 + n, usage: r.usage ?? usage };
  if (r.type === 'text') return { ...base, text: r.text };
  if (r.type === 'json') return { ...base, text: JSON.stringify(r.value) };
  return {
    ...base,
    toolCalls: r.calls.map((c, i) => ({
      name: c.name,
      callId: c.callId ?? `call_${n}_${i}`,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    })),
  };
}

/** Starts the fake OpenAI server on 127.0.0.1, port 0. */
export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const defaultUsage = options.defaultUsage ?? { inputTokens: 10, outputTokens: 5, cachedTokens: 0 };
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let served = 0;
  const chunks = options.streamChunks ?? 3;
  const delayMs = options.streamDelayMs ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = await readJson(req);
    const api = API_PATHS[path] ?? 'other';
    const record: RecordedRequest = { method: req.method ?? 'GET', path, api, headers: req.headers, body, stream: body['stream'] === true, reply: null };
    requests.push(record);
    if (api === 'other' || req.method !== 'POST') {
      sendJson(res, 404, { error: { message: `fake OpenAI server: no route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: null } });
      return;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(reply.unauthorized() as Extract<ScriptedReply, { type: 'error' }>));
      return;
    }
    const next = queue.shift();
    if (!next) {
      sendJson(res, 500, { error: { message: 'fake OpenAI server: no scripted reply left', type: 'server_error', param: null, code: 'fake_script_exhausted' } });
      return;
    }
    record.reply = next;
    await options.beforeReply?.(served);
    served += 1;
    if (next.type === 'hang') return;
    if (next.type === 'error') {
      sendJson(res, next.status, errorBody(next), next.retryAfter !== undefined ? { 'retry-after': next.retryAfter } : {});
      return;
    }
    const turn = toTurn(next, body, served, defaultUsage);
    if (api === 'chat_completions') {
      const streamOptions = body['stream_options'] as { include_usage?: boolean } | undefined;
      if (record.stream) await sendSse(res, chatCompletionChunks(turn, streamOptions?.include_usage === true, chunks), delayMs);
      else sendJson(res, 200, chatCompletion(turn));
    } else if (record.stream) {
      await sendSse(res, responseEvents(turn, body, chunks), delayMs);
    } else {
      sendJson(res, 200, responseObject(turn, body));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 400, { error: { message: String(err), type: 'invalid_request_error', param: null, code: null } });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (replies) => {
      queue.push(...replies);
    },
    pending: () => queue.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
