import { z } from 'zod';
import { CommonEnv, parseEnv, Ports } from '@outrun/config';

/** The runner's environment: CommonEnv plus its port, worker slots, drain grace and the HTTP allow-list. */
export const RunnerEnv = CommonEnv.extend({
  RUNNER_PORT: Ports.runner,
  /** Interface to bind; `0.0.0.0` (containers) is logged as a warning. @default 127.0.0.1 */
  RUNNER_HOST: z.string().default('127.0.0.1'),
  /** Worker slots of this process (runs executing at once). @default 16 */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(16),
  /** How long SIGTERM waits for in-flight runs before handing them back. @default 10000 */
  RUNNER_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** How often unfinished runs whose queue job was lost (Redis restart) are re-enqueued; 0 = never. @default 30000 */
  RUNNER_RECONCILE_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** Private destinations nodes may call anyway (comma-separated host, host:port, ip, CIDR). */
  OUTRUN_HTTP_ALLOW_LIST: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)),
  /** Local commands an ai-agent node may start as stdio MCP servers (comma-separated, exact match; docs/mcp.md). @default none */
  OUTRUN_MCP_STDIO_ALLOW: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)),
  /** Default AI provider for ai-agent nodes without a credential (the seed's OPENAI_API_KEY). */
  OPENAI_API_KEY: z.string().optional(),
  /** Any OpenAI-compatible server, e.g. http://localhost:11434/v1 (Ollama). */
  OPENAI_BASE_URL: z.string().url().optional(),
  /** @default chat_completions with OPENAI_BASE_URL, responses otherwise */
  OPENAI_API_MODE: z.enum(['responses', 'chat_completions']).optional(),
  /** Instance AI price overrides (JSON, `packages/nodes/pricing/README.md`), consulted before the bundled catalogue. */
  OUTRUN_AI_PRICES_FILE: z.string().min(1).optional(),
  /** Public base URL of the gateway: approval links and error-handler payloads are absolute with it. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Put AI prompts and final outputs on model spans (`gen_ai.input.messages`/`output.messages`). @default false */
  OUTRUN_TRACE_AI_CONTENT: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
});
export type RunnerEnv = z.infer<typeof RunnerEnv>;

/** Parses the runner's environment (throws ConfigError listing every problem). */
export function readRunnerEnv(source?: Record<string, string | undefined>): RunnerEnv {
  return parseEnv(RunnerEnv, source);
}
