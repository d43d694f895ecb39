import { describe, expect, it } from 'vitest';
import { databaseOfUri } from './create-mongo-store';
import { names, translateMongoError } from './mongo-context';

describe('mongo adapter edge (no server needed)', () => {
  it('names collections as the seed does', () => {
    expect(names.workflows('ws-456')).toBe('workspace_ws-456_workflows');
    expect(names.runs('ws-456')).toBe('workflow_ws-456_runs');
    expect(names.data('ws-456', 'leads')).toBe('data_ws-456_leads');
  });

  it('translates driver errors to stable codes', () => {
    const replica = Object.assign(new Error('The $changeStream stage is only supported on replica sets'), { code: 40573 });
    expect(translateMongoError(replica)).toMatchObject({ code: 'OUT_ERR_MONGO_REPLICA_SET_REQUIRED', kind: 'operational' });
    const lost = Object.assign(new Error('Resume of change stream was not possible'), { code: 286, codeName: 'ChangeStreamHistoryLost' });
    expect(translateMongoError(lost)).toMatchObject({ code: 'OUT_ERR_CHANGE_STREAM_HISTORY_LOST' });
    const down = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' });
    expect(translateMongoError(down)).toMatchObject({ code: 'OUT_ERR_STORE_UNAVAILABLE' });
    const cleared = Object.assign(new Error('Connection pool for 127.0.0.1:27017 was cleared'), { name: 'MongoPoolClearedError' });
    expect(translateMongoError(cleared)).toMatchObject({ code: 'OUT_ERR_STORE_UNAVAILABLE' });
    const other = new Error('something else');
    expect(translateMongoError(other)).toBe(other);
  });

  it('reads the database from the URI path only', () => {
    expect(databaseOfUri('mongodb://h:1/?replicaSet=rs0')).toBe('');
    expect(databaseOfUri('mongodb://h:1')).toBe('');
    expect(databaseOfUri('mongodb://u:p@h:1,h2:2/prod?replicaSet=rs0')).toBe('prod');
    expect(databaseOfUri('mongodb+srv://cluster.example/app')).toBe('app');
  });
});
