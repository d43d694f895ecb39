import amqp from 'amqplib';
import type { RabbitCredentialData } from './data';

export function connect(credential: RabbitCredentialData): Promise<amqp.ChannelModel> {
  return amqp.connect({
    protocol: credential.tls ? 'amqps' : 'amqp',
    hostname: credential.host,
    port: credential.port,
    username: credential.username,
    password: credential.password,
    vhost: credential.vhost,
    heartbeat: 30,
  }, { timeout: 10_000 });
}
