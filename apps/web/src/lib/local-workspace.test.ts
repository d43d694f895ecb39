import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceOfLocalKey } from './local-workspace';
import { readWebEnv } from './server-env';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-web-'));
  await writeFile(join(dir, 'local-workspace.json'), JSON.stringify({ workspaceId: 'ws-local', apiKey: 'out_abc_123', sampleWorkflowId: 'wf' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('workspaceOfLocalKey', () => {
  it('returns the workspace of the embedded data dir only for the same key', async () => {
    expect(await workspaceOfLocalKey('out_abc_123', dir)).toBe('ws-local');
    expect(await workspaceOfLocalKey('out_other_key', dir)).toBeNull();
    expect(await workspaceOfLocalKey('out_abc_123', join(dir, 'missing'))).toBeNull();
  });
});

describe('readWebEnv', () => {
  it('applies defaults, treats empty strings as unset and rejects a bad URL', () => {
    expect(readWebEnv({ WORKFLOW_API_URL: '', OUTRUN_API_KEY: '' })).toEqual({ WORKFLOW_API_URL: 'http://localhost:3001' });
    expect(readWebEnv({ WORKFLOW_API_URL: 'http://api:3001', OUTRUN_WORKSPACE_ID: 'ws' })).toMatchObject({ WORKFLOW_API_URL: 'http://api:3001', OUTRUN_WORKSPACE_ID: 'ws' });
    expect(() => readWebEnv({ WORKFLOW_API_URL: 'not a url' })).toThrow();
  });
});
