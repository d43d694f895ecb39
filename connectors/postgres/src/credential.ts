import { defineCredential } from '@outrun/connector-kit';

import { PostgresCredentialData } from './data';
export { PostgresCredentialData } from './data';

export const postgresCredential = defineCredential({
  label: 'PostgreSQL connection',
  schema: PostgresCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential, { signal }) {
    const { withClient } = await import('./connect');
    await withClient(credential, signal, (client) => client.query('SELECT 1'));
  },
});
