/**
 * Slack Web API: post a message (`chat.postMessage`) with a bot token. Slack answers HTTP 200 with `ok: false`
 * for most failures; those are classified by their documented error names (ratelimited → retry after
 * `Retry-After`, others fail at once). Incoming Slack events: a webhook trigger with `auth: slack` (signing secret).
 */
import { z } from 'zod';
import { ConnectorError, defineAction, defineConnector, defineCredential, requestJson } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';

const SlackCredentialData = z.object({
  botToken: z.string().regex(/^xox[abp]-/, 'a Slack token (xoxb-…)').max(500),
  /** The API base; only tests and proxies change it. @default https://slack.com/api */
  baseUrl: z.string().url().default('https://slack.com/api'),
});

/** Slack errors a retry can fix (the rest: bad channel, not_in_channel, invalid_auth … fail at once). */
const RETRIABLE = new Set(['ratelimited', 'service_unavailable', 'fatal_error', 'internal_error', 'request_timeout']);

const slackCredential = defineCredential({
  label: 'Slack bot token',
  schema: SlackCredentialData,
  secretFields: ['botToken'],
  // Slack's default tier for chat.postMessage is about one message per second per channel.
  rateLimit: { rps: 1, burst: 5 },
  async test(credential, { http, signal }) {
    if (!http) throw new Error('no HTTP client');
    const { body } = await requestJson(http, { method: 'POST', url: `${credential.baseUrl}/auth.test`, headers: { authorization: `Bearer ${credential.botToken}` }, body: {}, signal });
    if (!(body as { ok?: boolean }).ok) throw new Error(`Slack refused the token: ${String((body as { error?: string }).error)}`);
  },
});

const postMessage = defineAction({
  label: 'Post message',
  description: 'Posts a message to a channel (or a thread) as the bot.',
  credential: slackCredential,
  icon: 'message',
  params: z.object({
    channel: z.string().min(1).max(200).describe('Channel id (C0123…) or name'),
    text: z.string().min(1).max(40_000),
    threadTs: z.string().max(50).optional().describe('Reply in this thread'),
    blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    unfurlLinks: z.boolean().default(false),
  }),
  async run({ params, credential, http, signal }) {
    const { body } = await requestJson(http, {
      method: 'POST',
      url: `${credential.baseUrl}/chat.postMessage`,
      headers: { authorization: `Bearer ${credential.botToken}` },
      body: {
        channel: params.channel,
        text: params.text,
        unfurl_links: params.unfurlLinks,
        ...(params.threadTs ? { thread_ts: params.threadTs } : {}),
        ...(params.blocks ? { blocks: params.blocks as JsonValue } : {}),
      },
      signal,
    });
    const answer = body as { ok?: boolean; error?: string; channel?: string; ts?: string };
    if (!answer.ok) throw new ConnectorError(`Slack chat.postMessage failed: ${answer.error ?? 'unknown error'}`, RETRIABLE.has(answer.error ?? ''));
    return { channel: answer.channel ?? params.channel, ts: answer.ts ?? null };
  },
});

export default defineConnector({
  name: 'slack',
  version: '1.0.0',
  label: 'Slack',
  description: 'Post messages to Slack; receive Slack events with a webhook trigger (signing secret).',
  category: 'communication',
  icon: 'message',
  credentials: { bot: slackCredential },
  actions: { postMessage },
});
