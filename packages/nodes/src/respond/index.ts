/**
 * `respond`: sets the HTTP answer of a sync webhook (status, headers, body). The body defaults to the
 * node's input. The response is also the node's output, so later nodes and the run view see it.
 */
import { z } from 'zod';
import { JsonValue, type RunResponse } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';

export const RespondParams = z.strictObject({
  status: z.number().int().min(100).max(599).default(200).describe('HTTP status code'),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name'), z.string())
    .default({})
    .describe('Response headers'),
  body: JsonValue.optional().describe('Response body (JSON); empty = the node input'),
});
export type RespondParams = z.infer<typeof RespondParams>;

export const respondNode = defineNode({
  type: 'respond',
  label: 'Respond to webhook',
  description: 'Sets the HTTP response a sync webhook returns (status, headers, body).',
  category: 'http',
  icon: 'reply',
  params: RespondParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    const response: RunResponse = { status: ctx.params.status, headers: ctx.params.headers, body: ctx.params.body ?? ctx.input };
    return { output: { status: response.status, headers: response.headers, body: response.body ?? null }, response };
  },
});
