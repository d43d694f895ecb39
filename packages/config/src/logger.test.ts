import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('logs merged fields with the trace mixin in place (tracing off: no trace fields)', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger({ name: 'test', destination });
    logger.info({ store: 'sqlite', apiKey: 'sk-secret' }, 'opened');
    logger.child({ runId: 'r1' }).warn({ attempt: 2 }, 'again');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ service: 'test', store: 'sqlite', apiKey: '[redacted]', msg: 'opened' });
    expect(parsed[1]).toMatchObject({ runId: 'r1', attempt: 2, msg: 'again' });
    expect(parsed[0]).not.toHaveProperty('trace_id');
  });
});
