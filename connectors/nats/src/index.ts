/**
 * NATS JetStream: publish (the step idempotency key as `Nats-Msg-Id`, so JetStream drops a retried step's
 * duplicate); a trigger on a durable pull consumer: ack once the run is recorded, nak (redelivered later) when it
 * could not be, at most `capacity` unacked messages (`max_ack_pending`). The stream sequence is the event id.
 */
import { z } from 'zod';
import { defineAction, defineConnector, defineCredential, defineTrigger, splitHostPort } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import type { ConnectionOptions, NatsConnection } from 'nats';

const NatsCredentialData = z.object({
  servers: z.array(z.string().min(1).max(300)).min(1).max(16).describe('host:port of each server'),
  user: z.string().max(200).optional(),
  pass: z.string().max(1000).optional(),
  token: z.string().max(2000).optional(),
});
type NatsCredentialData = z.infer<typeof NatsCredentialData>;

async function connect(credential: NatsCredentialData): Promise<NatsConnection> {
  const { connect: open } = await import('nats');
  const options: ConnectionOptions = {
    servers: credential.servers,
    timeout: 10_000,
    maxReconnectAttempts: 0,
    ...(credential.user ? { user: credential.user } : {}),
    ...(credential.pass ? { pass: credential.pass } : {}),
    ...(credential.token ? { token: credential.token } : {}),
  };
  return open(options);
}

const natsCredential = defineCredential({
  label: 'NATS servers',
  schema: NatsCredentialData,
  secretFields: ['pass', 'token'],
  hosts: (credential) => credential.servers.map((server) => splitHostPort(server, 4222)),
  async test(credential) {
    const nc = await connect(credential);
    await nc.flush();
    await nc.close();
  },
});

const encode = (message: unknown) => new TextEncoder().encode(typeof message === 'string' ? message : JSON.stringify(message ?? null));

const publish = defineAction({
  label: 'Publish (JetStream)',
  description: 'Publishes to a JetStream subject and waits for the stream to store it; a retried step is deduplicated.',
  credential: natsCredential,
  params: z.object({
    subject: z.string().min(1).max(1024).refine((s) => !/[*>\s]/.test(s), 'a subject, not a wildcard'),
    message: z.unknown(),
    msgId: z.string().max(200).optional().describe('Deduplication id; defaults to the step idempotency key'),
  }),
  async run({ params, credential, signal, idempotencyKey }) {
    const nc = await connect(credential);
    const onAbort = () => void nc.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const ack = await nc.jetstream().publish(params.subject, encode(params.message), { msgID: params.msgId ?? idempotencyKey, timeout: 10_000 });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await nc.close().catch(() => undefined);
    }
  },
});

const durableMessages = defineTrigger({
  label: 'Durable consumer',
  description: 'Starts a run for each message of a JetStream stream through a durable consumer (acked once recorded).',
  credential: natsCredential,
  params: z.object({
    stream: z.string().min(1).max(200),
    filterSubject: z.string().max(1024).optional(),
    durable: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional().describe('Consumer name; defaults to one per trigger'),
    fromStart: z.boolean().default(false).describe('A new consumer starts at the first stored message instead of new ones'),
  }),
  async open(ctx) {
    const { params, credential, signal } = ctx;
    const { AckPolicy, DeliverPolicy } = await import('nats');
    const nc = await connect(credential);
    const durable = params.durable ?? ctx.consumerName;
    try {
      const jsm = await nc.jetstreamManager();
      const existing = await jsm.consumers.info(params.stream, durable).catch(() => undefined);
      if (!existing) {
        await jsm.consumers.add(params.stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: params.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
          max_ack_pending: ctx.capacity,
          ack_wait: 30_000_000_000,
          ...(params.filterSubject ? { filter_subject: params.filterSubject } : {}),
        });
      }
    } catch (err) {
      await nc.close();
      throw err;
    }
    const consumer = await nc.jetstream().consumers.get(params.stream, durable);
    const messages = await consumer.consume({ max_messages: ctx.capacity });
    void nc.closed().then((err) => {
      if (!signal.aborted) ctx.reconnect(err ?? new Error('NATS connection closed; the trigger reconnects'));
    });
    const loop = (async () => {
      const inFlight = new Set<Promise<void>>();
      for await (const message of messages) {
        const text = message.string();
        let body: JsonValue = text;
        try { body = JSON.parse(text) as JsonValue; } catch { /* plain text */ }
        const seq = message.info.streamSequence;
        const delivery = ctx.deliver({ id: `${params.stream}:${seq}`, payload: { stream: params.stream, subject: message.subject, seq, redelivered: message.redelivered, message: body } }).then(
          () => message.ack(),
          (err: unknown) => {
            ctx.reportError(err);
            message.nak(1000);
          },
        );
        inFlight.add(delivery);
        void delivery.finally(() => inFlight.delete(delivery));
        if (inFlight.size >= ctx.capacity) await Promise.race(inFlight);
      }
      await Promise.allSettled(inFlight);
    })();
    return {
      async close() {
        await messages.close().catch(() => undefined);
        await loop.catch(() => undefined);
        await nc.drain().catch(() => undefined);
      },
    };
  },
});

export default defineConnector({
  name: 'nats',
  version: '1.0.0',
  label: 'NATS JetStream',
  description: 'Publish to JetStream (deduplicated); a trigger on a durable consumer.',
  category: 'messaging',
  icon: 'send',
  credentials: { servers: natsCredential },
  actions: { publish },
  triggers: { durableMessages },
});
