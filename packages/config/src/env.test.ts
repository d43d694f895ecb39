import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommonEnv, ConfigError, parseEnv } from './env';

describe('parseEnv', () => {
  it('applies defaults and treats empty strings as unset', () => {
    const env = parseEnv(CommonEnv, { LOG_LEVEL: '', OUTRUN_DATA_DIR: '/tmp/x' });
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.OUTRUN_DATA_DIR).toBe('/tmp/x');
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('reports one line per invalid variable', () => {
    const schema = CommonEnv.extend({ PORT: z.coerce.number().int().max(65535) });
    try {
      parseEnv(schema, { REDIS_URL: 'not a url', PORT: '99999' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(2);
      expect(problems.join('\n')).toMatch(/REDIS_URL/);
      expect(problems.join('\n')).toMatch(/PORT/);
    }
  });
});
