/**
 * MQTT (Mosquitto and any 3.1.1/5 broker): publish at QoS 0 or 1; a trigger on a topic filter with QoS 1 and a
 * persistent session (clean: false, the trigger's stable client id), acknowledged (PUBACK) only after the run is
 * recorded, so the broker keeps and redelivers what the listener had not recorded. MQTT has no message id that
 * survives redelivery: name a payload field (`idField`) for exactly-once, else a redelivery is a new run.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector, defineCredential, defineTrigger } from '@outrun/connector-kit';
import type { JsonValue } from '@outrun/schemas';
import type { IClientOptions, MqttClient } from 'mqtt';

const MqttCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(1883),
  username: z.string().max(200).optional(),
  password: z.string().max(1000).optional(),
  tls: z.boolean().default(false),
});
type MqttCredentialData = z.infer<typeof MqttCredentialData>;

async function connect(credential: MqttCredentialData, options: Partial<IClientOptions> = {}): Promise<MqttClient> {
  const mqtt = await import('mqtt');
  return mqtt.connectAsync({
    host: credential.host,
    port: credential.port,
    protocol: credential.tls ? 'mqtts' : 'mqtt',
    protocolVersion: 5,
    connectTimeout: 10_000,
    reconnectPeriod: 0,
    ...(credential.username ? { username: credential.username } : {}),
    ...(credential.password ? { password: credential.password } : {}),
    ...options,
  });
}

const mqttCredential = defineCredential({
  label: 'MQTT broker',
  schema: MqttCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential) {
    const client = await connect(credential);
    await client.endAsync();
  },
});

const publish = defineAction({
  label: 'Publish',
  description: 'Publishes a message on a topic at QoS 0 (fire and forget) or 1 (the broker acknowledges it).',
  credential: mqttCredential,
  params: z.object({
    topic: z.string().min(1).max(1024).refine((t) => !/[+#]/.test(t), 'a topic name, not a filter (no + or #)'),
    message: z.unknown(),
    qos: z.union([z.literal(0), z.literal(1)]).default(1),
    retain: z.boolean().default(false),
  }),
  async run({ params, credential, signal, idempotencyKey }) {
    const client = await connect(credential);
    const onAbort = () => client.end(true);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const body = typeof params.message === 'string' ? params.message : JSON.stringify(params.message ?? null);
      await client.publishAsync(params.topic, body, { qos: params.qos, retain: params.retain, properties: { userProperties: { 'idempotency-key': idempotencyKey } } });
      return { topic: params.topic, qos: params.qos, bytes: Buffer.byteLength(body) };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await client.endAsync().catch(() => undefined);
    }
  },
});

const topicMessages = defineTrigger({
  label: 'Topic message',
  description: 'Starts a run for each message matching a topic filter (QoS 1, persistent session, acked once recorded).',
  credential: mqttCredential,
  params: z.object({
    topicFilter: z.string().min(1).max(1024).describe('e.g. sensors/+/temperature or orders/#'),
    idField: z.string().max(100).optional().describe('A payload field holding a unique message id (exactly-once on redelivery)'),
  }),
  async open(ctx) {
    const { params, credential } = ctx;
    let closing = false;
    const client = await connect(credential, {
      clientId: ctx.consumerName.slice(0, 23 * 4),
      clean: false,
      properties: { sessionExpiryInterval: 7 * 86_400, receiveMaximum: ctx.capacity },
      // PUBACK only once the run is recorded; an unrecorded message is redelivered when the session resumes.
      customHandleAcks: (topic, payload, packet, done) => {
        const text = payload.toString('utf8');
        let body: JsonValue = text;
        try { body = JSON.parse(text) as JsonValue; } catch { /* plain text */ }
        const userId = params.idField && body !== null && typeof body === 'object' && !Array.isArray(body) ? body[params.idField] : undefined;
        const id = typeof userId === 'string' || typeof userId === 'number' ? `${topic}:${userId}` : `${topic}:${randomUUID()}`;
        ctx.deliver({ id, payload: { topic, message: body, retained: packet.retain ?? false } }).then(
          () => done(0),
          (err: unknown) => ctx.reconnect(err),
        );
      },
    });
    client.on('error', (err) => ctx.reportError(err));
    client.on('close', () => {
      if (!closing) ctx.reconnect(new Error('MQTT connection closed; the trigger reconnects (the persistent session keeps messages meanwhile)'));
    });
    await client.subscribeAsync(params.topicFilter, { qos: 1 });
    return {
      async close() {
        closing = true;
        await client.endAsync().catch(() => undefined);
      },
    };
  },
});

export default defineConnector({
  name: 'mqtt',
  version: '1.0.0',
  label: 'MQTT',
  description: 'Publish to an MQTT broker (QoS 0/1); a trigger on a topic filter (QoS 1, persistent session).',
  category: 'messaging',
  icon: 'send',
  credentials: { broker: mqttCredential },
  actions: { publish },
  triggers: { topicMessages },
});
