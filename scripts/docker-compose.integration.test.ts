import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasCompose) console.warn('[compose] docker-compose is not installed: skipped validating docker-compose.yml (.ci/run installs it)');

describe.skipIf(!hasCompose)('docker-compose.yml (validated by docker-compose config; no Docker engine here)', () => {
  const config = (env: Record<string, string>) =>
    execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });

  it('is valid and has every service with health checks and restart policies', () => {
    const text = config({ OUTRUN_ENCRYPTION_KEY: 'k'.repeat(64), OUTRUN_ADMIN_TOKEN: 'admin-token-for-test' });
    for (const service of ['mongo', 'redis', 'api', 'listener', 'runner', 'web']) {
      const block = text.split(/\n  (?=[a-z]+:\n)/).find((b) => b.startsWith(`${service}:`));
      expect(block, service).toBeDefined();
      expect(block, `${service} healthcheck`).toMatch(/healthcheck:/);
      expect(block, `${service} restart`).toMatch(/restart: unless-stopped/);
    }
    expect(text).toMatch(/replicas: 2/);
    expect(text).toMatch(/--replSet/);
    expect(text).toMatch(/--appendonly/);
    expect(text).toMatch(/replicaSet=rs0/);
  });

  it('refuses to start without the encryption key and admin token', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: root, env: { ...process.env, OUTRUN_ENCRYPTION_KEY: '', OUTRUN_ADMIN_TOKEN: '' }, encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/OUTRUN_ENCRYPTION_KEY|OUTRUN_ADMIN_TOKEN/);
  });
});
