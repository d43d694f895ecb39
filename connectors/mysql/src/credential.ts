import { defineCredential } from '@outrun/connector-kit';

import { MysqlCredentialData } from './data';
export { MysqlCredentialData } from './data';

export const mysqlCredential = defineCredential({
  label: 'MySQL / MariaDB connection',
  schema: MysqlCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential, { signal }) {
    const { withConnection } = await import('./connect');
    await withConnection(credential, signal, (c) => c.query('SELECT 1'));
  },
});
