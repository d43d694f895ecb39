import { defineCredential } from '@outrun/connector-kit';

import { RabbitCredentialData } from './data';
export { RabbitCredentialData } from './data';

export const rabbitCredential = defineCredential({
  label: 'RabbitMQ connection',
  schema: RabbitCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential) {
    const { connect } = await import('./connect');
    const connection = await connect(credential);
    await connection.close();
  },
});
