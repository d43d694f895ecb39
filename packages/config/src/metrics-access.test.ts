import { describe, expect, it } from 'vitest';
import { canReadMetrics } from './metrics-access';

describe('canReadMetrics', () => {
  it('without a token: loopback peers only, whatever headers say', () => {
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.3.2.1']) expect(canReadMetrics({}, peer, undefined), peer).toBe(true);
    for (const peer of ['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', undefined]) expect(canReadMetrics({}, peer, 'Bearer anything'), String(peer)).toBe(false);
  });

  it('with a token: the bearer token only, from anywhere (loopback included)', () => {
    const access = { token: 'metrics-token-0123456789' };
    expect(canReadMetrics(access, '192.0.2.2', 'Bearer metrics-token-0123456789')).toBe(true);
    expect(canReadMetrics(access, '127.0.0.1', 'bearer metrics-token-0123456789')).toBe(true);
    expect(canReadMetrics(access, '127.0.0.1', undefined)).toBe(false);
    expect(canReadMetrics(access, '127.0.0.1', 'Bearer metrics-token-012345678')).toBe(false);
  });
});
