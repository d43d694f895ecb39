/** Redis: get/set/incr/publish/stream add, and triggers on a stream (consumer group) and on pub/sub. */
import { defineConnector } from '@outrun/connector-kit';
import { get, incr, publish, set, streamAdd } from './actions';
import { redisCredential } from './credential';
import { pubsubMessages, streamEntries } from './triggers';

export default defineConnector({
  name: 'redis',
  version: '1.0.0',
  label: 'Redis',
  description: 'Keys, counters, pub/sub and streams on Redis; triggers on a stream and on pub/sub.',
  category: 'database',
  icon: 'database',
  credentials: { connection: redisCredential },
  actions: { get, set, incr, publish, streamAdd },
  triggers: { streamEntries, pubsubMessages },
});
