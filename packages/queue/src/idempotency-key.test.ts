import { describe, expect, it } from 'vitest';
import { MAX_IDEMPOTENCY_KEY_LENGTH, runIdempotencyKey } from './idempotency-key';

describe('runIdempotencyKey', () => {
  it('keeps (source, scope, id) apart whatever separators they contain', () => {
    expect(runIdempotencyKey('webhook', 'pub', 'sig:msg_1')).not.toBe(runIdempotencyKey('webhook', 'pub:sig', 'msg_1'));
    expect(runIdempotencyKey('manual', 'wf', 'k')).not.toBe(runIdempotencyKey('webhook', 'wf', 'k'));
    expect(runIdempotencyKey('manual', 'wf-a', 'k')).not.toBe(runIdempotencyKey('manual', 'wf-b', 'k'));
    expect(runIdempotencyKey('manual', 'wf', 'sched:tick:2030-01-01T00:00:00.000Z')).not.toMatch(/^(sched|data):/);
  });

  it('hashes long encodings into a bounded key that differs per input', () => {
    const long = 'x'.repeat(500);
    const key = runIdempotencyKey('webhook', 't', long);
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(runIdempotencyKey('webhook', 't2', long)).not.toBe(key);
  });
});
