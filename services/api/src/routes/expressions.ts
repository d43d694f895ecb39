/**
 * `{{ expression }}` preview for the editor: evaluates a parameter template with the engine's own
 * `evaluateTemplate` (same JSONata, RE2 regexes, bounded built-ins and guardrails as a run) against a scope
 * the caller supplies (usually the last run's data for the node). Nothing is stored or run.
 *
 * Anyone with a key can send any expression here, so it runs in the expression sandbox (a worker thread with
 * its own heap cap and a hard timeout): `/healthz` and every other request keep being served meanwhile. It has
 * its own, tighter token bucket per key on top of the gateway's.
 */
import type { ExpressionSandbox } from '@outrun/sandbox';
import { parseTemplate } from '@outrun/engine';
import { ErrorCode, ExpressionPreviewRequest, ExpressionPreviewResult, MAX_EXPRESSION_TEMPLATE_LENGTH, OutrunError, UserError, type JsonValue } from '@outrun/schemas';
import type { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { defineRoute, type Route } from '../http/route';
import { TokenBuckets, type RateLimitOptions } from '@outrun/config';
import { WsParams, withErrors } from './common';

/**
 * Default preview rate per API key: 5 requests/s sustained, bursts of 30 (the editor previews every `{{ }}` field of
 * a node when its form opens, then once per 250 ms pause in typing). Tighter than the gateway's 20/s, 100.
 */
export const DEFAULT_PREVIEW_RATE_LIMIT: RateLimitOptions = { rps: 5, burst: 30 };
/**
 * Previews of one key evaluating at once: the sandbox's workers are shared by every workspace of the gateway, so
 * one key cannot occupy them all and starve the others' previews.
 */
export const MAX_PREVIEWS_IN_FLIGHT_PER_KEY = 2;

/** Longest template accepted (characters). */
export const MAX_TEMPLATE_LENGTH = MAX_EXPRESSION_TEMPLATE_LENGTH;
/**
 * Most `{{ }}` parts in one template: each evaluation may take up to the engine's JSONata timeout, so
 * this bounds the time one request can hold the event loop.
 */
export const MAX_TEMPLATE_EXPRESSIONS = 10;

/** The shared request shape, plus the bound on `{{ }}` parts (it needs the engine's parser, so it lives here). */
export const ExpressionPreviewBody = ExpressionPreviewRequest.extend({
  template: ExpressionPreviewRequest.shape.template.refine(
    (t) => (parseTemplate(t)?.parts.filter((p) => p.kind === 'expr').length ?? 0) <= MAX_TEMPLATE_EXPRESSIONS,
    { message: `at most ${MAX_TEMPLATE_EXPRESSIONS} {{ }} expressions per template` },
  ),
});

/** The engine puts `position N (character M of the template): …` in the first detail; M is what the editor can point at. */
function templatePosition(err: OutrunError): number | undefined {
  const match = /^position \d+ \(character (\d+) of the template\)/.exec(err.details[0]?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Evaluates `template` over `scope` in the sandbox; an expression error is an answer (`ok: false`), not a thrown error. */
export async function previewTemplate(sandbox: ExpressionSandbox, body: z.infer<typeof ExpressionPreviewBody>): Promise<ExpressionPreviewResult> {
  const scope = { input: body.scope.input, trigger: body.scope.trigger, steps: body.scope.steps ?? {} };
  try {
    const value = (await sandbox.evaluateTemplate(body.template, scope)) as JsonValue | undefined;
    return value === undefined ? { ok: true } : { ok: true, value };
  } catch (err) {
    // A function value (`{{ function($x){$x} }}`) comes back from the sandbox as an OUT_ERR_EXPRESSION (it once
    // answered 500: JSONata's lambda is circular; found by bad-input.integration.test.ts).
    if (!(err instanceof OutrunError) || err.code !== ErrorCode.EXPRESSION) throw err;
    const position = templatePosition(err);
    return { ok: false, error: { code: ErrorCode.EXPRESSION, message: err.message, ...(position === undefined ? {} : { position }) } };
  }
}

export function expressionRoutes(deps: ResolvedDeps): Route[] {
  const limit = deps.previewRateLimit === undefined ? DEFAULT_PREVIEW_RATE_LIMIT : deps.previewRateLimit;
  const buckets = limit === false ? null : new TokenBuckets(limit, deps.clock);
  const inFlight = new Map<string, number>();
  return [
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/expressions/preview',
      summary: 'Evaluate a `{{ }}` parameter template against a given scope (`input`, `trigger`, `steps`) with the engine; saves nothing',
      tag: 'expressions', auth: 'workspace', permission: 'workflow:write', extension: true, params: WsParams, body: ExpressionPreviewBody,
      responses: withErrors({ 200: { description: 'The value (`ok: true`) or the expression error with its position (`ok: false`)', schema: ExpressionPreviewResult } }),
      async handle({ body, apiKey, res }) {
        const key = apiKey?.id ?? 'anonymous';
        const taken = buckets?.take(key);
        if (taken && !taken.allowed) {
          res.setHeader('Retry-After', String(taken.retryAfterSeconds));
          throw new UserError(ErrorCode.RATE_LIMITED, `Too many expression previews for this API key; retry in ${taken.retryAfterSeconds} s.`, 429);
        }
        const running = inFlight.get(key) ?? 0;
        if (running >= MAX_PREVIEWS_IN_FLIGHT_PER_KEY) {
          res.setHeader('Retry-After', '1');
          throw new UserError(ErrorCode.RATE_LIMITED, `At most ${MAX_PREVIEWS_IN_FLIGHT_PER_KEY} expression previews per API key at once; retry in 1 s.`, 429);
        }
        inFlight.set(key, running + 1);
        try {
          return { status: 200, body: await previewTemplate(deps.expressionSandbox, body) };
        } finally {
          const left = (inFlight.get(key) ?? 1) - 1;
          if (left > 0) inFlight.set(key, left);
          else inFlight.delete(key);
        }
      },
    }),
  ];
}
