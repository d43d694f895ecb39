/**
 * The workflow-provided tools an agent may call, as Agents SDK function tools: an HTTP request through
 * the runner's SSRF-guarded client (`ctx.services.http`) and a lookup in a workspace data collection
 * (`ctx.services.data`). Tool arguments come from the model: they are parsed with zod (trust boundary).
 * Every call and its result is recorded for the step output.
 */
import { tool, type Tool } from '@openai/agents-core';
import { z } from 'zod';
import { ErrorCode, NonRetriableError, OutrunError, type JsonValue } from '@outrun/schemas';
import type { NodeContext } from '@outrun/engine';
import type { GuardedHttpRequest } from '../http/create-http-client';
import { toJson } from '../shared/to-json';
import { assertCredentialHost } from '../shared/credential-host';
import { credentialHeaders } from './credential-headers';
import { URL_PLACEHOLDER, type AgentToolSpec, type AiAgentParams, type DataLookupToolSpec, type HttpToolSpec } from './params';

/** One tool call as recorded in the step output. */
export interface ToolCallRecord {
  name: string;
  arguments: JsonValue;
  result: JsonValue;
  /** Wall time of the call (ms), failures included. */
  durationMs: number;
}

/** What tools share during one step. */
export interface ToolRuntime {
  ctx: NodeContext<AiAgentParams>;
  /** The step's signal (run cancel + node timeout). */
  signal: AbortSignal;
  calls: ToolCallRecord[];
  /** HTTP calls made (counted as `webhooksCalled`). */
  httpCalls: number;
}

/** Tool results handed back to the model are capped so one large response cannot blow the context. */
const MAX_RESULT_CHARS = 16_000;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function fatal(err: unknown, rt: ToolRuntime): boolean {
  // Cancel/timeout and missing runner services end the step; anything else is reported to the model.
  return rt.signal.aborted || (err instanceof NonRetriableError && err.code === ErrorCode.CONFIG);
}

/** Parses the model's arguments with zod (trust boundary), runs the tool, records call and result. */
export async function recordCall<A>(rt: ToolRuntime, name: string, Args: z.ZodType<A>, raw: unknown, run: (args: A) => Promise<JsonValue>): Promise<string> {
  let result: JsonValue;
  const started = performance.now();
  try {
    const parsed = Args.safeParse(raw);
    if (!parsed.success) {
      throw new NonRetriableError(ErrorCode.VALIDATION, `Invalid arguments for tool ${name}`, {
        details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    result = await run(parsed.data);
  } catch (err) {
    if (fatal(err, rt)) throw err;
    result = toolError(err);
  }
  rt.calls.push({ name, arguments: toJson(raw), result, durationMs: Math.round(performance.now() - started) });
  const text = JSON.stringify(result);
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…(truncated)` : text;
}

export function toolError(err: unknown): JsonValue {
  const code = err instanceof OutrunError ? err.code : ErrorCode.NODE_FAILED;
  const details = err instanceof OutrunError && err.details.length > 0 ? { details: toJson(err.details) } : {};
  return { error: { code, message: err instanceof Error ? err.message : String(err), ...details } };
}

/**
 * A function tool whose JSON Schema comes from `Args` and whose arguments reach `run` only after our own
 * zod parse. The SDK only JSON-parses; malformed JSON is reported to the model, fatal errors end the step.
 */
function functionTool<A>(name: string, description: string, Args: z.ZodType<A>, rt: ToolRuntime, run: (args: A) => Promise<JsonValue>): Tool {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(Args) as Record<string, unknown>;
  const options = {
    name,
    description,
    parameters: schema,
    strict: true,
    execute: (raw: unknown) => recordCall(rt, name, Args, raw, run),
    errorFunction: (_runContext: unknown, error: unknown) => {
      if (fatal(error, rt)) throw error;
      return JSON.stringify(toolError(error));
    },
  };
  return tool(options as unknown as Parameters<typeof tool>[0]) as unknown as Tool;
}

function parseBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…(truncated)` : text;
  }
}

async function callHttp(spec: HttpToolSpec, args: Record<string, string>, rt: ToolRuntime): Promise<JsonValue> {
  const http = rt.ctx.services.http;
  if (!http) throw new NonRetriableError(ErrorCode.CONFIG, 'The runner provides no HTTP client (services.http)');
  const url = spec.urlTemplate.replace(URL_PLACEHOLDER, (_m, key: string) => encodeURIComponent(args[key] ?? ''));
  const parsedUrl = URL.parse(url);
  if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol)) throw new NonRetriableError(ErrorCode.HTTP_REQUEST, `Invalid tool URL: ${url}`);
  const headers: Record<string, string> = { 'idempotency-key': `${rt.ctx.idempotencyKey}:tool:${rt.calls.length}` };
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
  let secret: Record<string, string> = {};
  if (spec.credentialId !== undefined) {
    await assertCredentialHost(rt.ctx.services, spec.credentialId, parsedUrl, 'tools.url');
    const data = rt.ctx.services.credentials ? await rt.ctx.services.credentials.get(spec.credentialId) : null;
    if (data === null) throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${spec.credentialId} not found in this workspace`);
    secret = credentialHeaders(spec.credentialId, data);
    Object.assign(headers, secret);
  }
  const body = args['requestBody'];
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  rt.httpCalls += 1;
  const req: GuardedHttpRequest = {
    method: spec.method, url, headers, timeoutMs: spec.timeoutMs, signal: rt.signal, sensitiveHeaders: Object.keys(secret),
    ...(body !== undefined ? { body } : {}),
  };
  const res = await http.request(req);
  return { status: res.status, body: parseBody(res.body) };
}

function httpTool(spec: HttpToolSpec, rt: ToolRuntime): Tool {
  const shape: Record<string, z.ZodString> = {};
  for (const m of spec.urlTemplate.matchAll(URL_PLACEHOLDER)) {
    const key = m[1] as string;
    shape[key] = z.string().max(2048).describe(`Value of {${key}} in the URL`);
  }
  if (BODY_METHODS.has(spec.method)) shape['requestBody'] = z.string().max(100_000).describe('Request body (JSON text)');
  const Args = z.strictObject(shape);
  return functionTool(spec.name, spec.description, Args, rt, (args) => callHttp(spec, args as Record<string, string>, rt));
}

const LookupArgs = z.strictObject({
  field: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).describe('Field of the documents to match'),
  value: z.union([z.string(), z.number(), z.boolean()]).describe('Value the field must equal'),
});

async function lookup(spec: DataLookupToolSpec, args: z.infer<typeof LookupArgs>, rt: ToolRuntime): Promise<JsonValue> {
  const data = rt.ctx.services.data;
  if (!data) throw new NonRetriableError(ErrorCode.CONFIG, 'The runner provides no data collections (services.data)');
  const docs = await data.find(spec.collection, { [args.field]: args.value }, spec.limit);
  return { count: docs.length, documents: docs.map((d) => ({ id: d.id, data: d.data })) };
}

function dataLookupTool(spec: DataLookupToolSpec, rt: ToolRuntime): Tool {
  const description = `${spec.description} (collection "${spec.collection}", at most ${spec.limit} documents)`;
  return functionTool(spec.name, description, LookupArgs, rt, (args) => lookup(spec, args, rt));
}

/** SDK tools for the node's tool specs, sharing one runtime (records, counters, signal). */
export function buildAgentTools(specs: AgentToolSpec[], rt: ToolRuntime): Tool[] {
  return specs.map((spec) => (spec.type === 'http' ? httpTool(spec, rt) : dataLookupTool(spec, rt)));
}
