import { defineCredential } from '@outrun/connector-kit';

import { RedisCredentialData } from './data';
export { RedisCredentialData } from './data';

export const redisCredential = defineCredential({
  label: 'Redis connection',
  schema: RedisCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential, { signal }) {
    const { withRedis } = await import('./connect');
    await withRedis(credential, signal, (redis) => redis.ping());
  },
});
