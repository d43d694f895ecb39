import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isWildcardHost, warnIfWildcard } from './bind-host';
import { createLogger } from './logger';

describe('warnIfWildcard', () => {
  it('warns, naming the variable, when a service binds every interface; stays quiet on a specific address', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const logger = createLogger({ name: 'bind', level: 'info', destination });
    warnIfWildcard(logger, 'the runner', '127.0.0.1', 'RUNNER_HOST');
    expect(lines).toEqual([]);
    warnIfWildcard(logger, 'the runner', '0.0.0.0', 'RUNNER_HOST');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string; envVar: string };
    expect(line.level).toBe(40);
    expect(line.msg).toContain('ALL interfaces');
    expect(line.envVar).toBe('RUNNER_HOST');
    for (const host of ['0.0.0.0', '::', '[::]', '']) expect(isWildcardHost(host), host).toBe(true);
    expect(isWildcardHost('192.0.2.2')).toBe(false);
  });
});
