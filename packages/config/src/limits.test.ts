import { describe, expect, it } from 'vitest';
import { CommonEnv, ConfigError, parseEnv } from './env';
import { DEFAULT_LIMITS, limitsFromEnv } from './limits';

describe('per-workspace limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      workflows: 1000, versions: 100, apiKeys: 50, streamsPerKey: 10, streamsPerWorkspace: 50, storedBytes: 512 * 1024 * 1024,
      pageMaxBytes: 4 * 1024 * 1024, rateLimit: { rps: 50, burst: 200 }, webhookRateLimit: { rps: 100, burst: 200 },
      webhookWorkspaceRateLimit: { rps: 500, burst: 1000 }, retentionDays: 30, retentionMaxRuns: 100_000,
    });
  });

  it('reads instance values from the env and merges a workspace override over them', () => {
    const env = parseEnv(CommonEnv, {
      OUTRUN_QUOTA_WORKFLOWS: '20',
      OUTRUN_RETENTION_DAYS: '7',
      OUTRUN_WORKSPACE_LIMITS: JSON.stringify({ big: { workflows: 5000, rateLimit: { rps: 500, burst: 1000 } } }),
    });
    const limits = limitsFromEnv(env);
    expect(limits.forWorkspace('small')).toMatchObject({ workflows: 20, retentionDays: 7, rateLimit: { rps: 50, burst: 200 } });
    expect(limits.forWorkspace('big')).toMatchObject({ workflows: 5000, retentionDays: 7, rateLimit: { rps: 500, burst: 1000 } });
  });

  it('names OUTRUN_WORKSPACE_LIMITS when it is not JSON or has an unknown or invalid key', () => {
    expect(() => parseEnv(CommonEnv, { OUTRUN_WORKSPACE_LIMITS: '{nope' })).toThrow(ConfigError);
    expect(() => parseEnv(CommonEnv, { OUTRUN_WORKSPACE_LIMITS: '{nope' })).toThrow(/OUTRUN_WORKSPACE_LIMITS: not valid JSON/);
    expect(() => parseEnv(CommonEnv, { OUTRUN_WORKSPACE_LIMITS: '{"ws": {"workflowz": 3}}' })).toThrow(/OUTRUN_WORKSPACE_LIMITS/);
    expect(() => parseEnv(CommonEnv, { OUTRUN_WORKSPACE_LIMITS: '{"ws": {"workflows": 0}}' })).toThrow(/ws\.workflows/);
  });
});
