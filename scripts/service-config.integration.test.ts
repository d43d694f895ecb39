/** Each service validates its configuration at start-up and exits with one clear line per invalid variable. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe.each(['api', 'listener', 'runner'])('%s start-up configuration', (service) => {
  it('exits 1 naming every invalid variable, one per line, without a stack trace', () => {
    const portVar = `${service.toUpperCase()}_PORT`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
      cwd: root,
      env: { ...process.env, [portVar]: 'not-a-port', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.trim().startsWith('- '));
    expect(lines.some((l) => l.includes(portVar))).toBe(true);
    expect(lines.some((l) => l.includes('REDIS_URL'))).toBe(true);
    expect(lines.some((l) => l.includes('LOG_LEVEL'))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
