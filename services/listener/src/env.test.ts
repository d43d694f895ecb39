import { describe, expect, it } from 'vitest';
import { loadListenerEnv } from './env';

describe('listener env', () => {
  it('binds loopback unless told otherwise', () => {
    expect(loadListenerEnv({})).toMatchObject({ LISTENER_HOST: '127.0.0.1', LISTENER_PORT: 3006 });
    expect(loadListenerEnv({ LISTENER_HOST: '0.0.0.0' }).LISTENER_HOST).toBe('0.0.0.0');
  });
});
