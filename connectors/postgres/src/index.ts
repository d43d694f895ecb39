/** PostgreSQL: parameterised queries, insert/upsert, transactions, and a new-row trigger (cursor polling + LISTEN/NOTIFY). */
import { defineConnector } from '@outrun/connector-kit';
import { insert, query, transaction } from './actions';
import { postgresCredential } from './credential';
import { newRows } from './new-rows';

export default defineConnector({
  name: 'postgres',
  version: '1.0.0',
  label: 'PostgreSQL',
  description: 'Query, insert/upsert and transactions on PostgreSQL; a trigger on new rows.',
  category: 'database',
  icon: 'database',
  credentials: { connection: postgresCredential },
  actions: { query, insert, transaction },
  triggers: { newRows },
});
