import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../services/api/test/api-harness';
import type { MigrationResult } from './migrate-workflows';

const run = promisify(execFile);
let h: ApiHarness;
let dir: string;

beforeAll(async () => {
  h = await startApi();
  dir = await mkdtemp(join(tmpdir(), 'outrun-migrate-'));
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const legacy = [
  {
    // React Flow export with view state the editor adds; a trigger and a working graph
    name: 'Lead intake',
    triggers: [{ id: 'legacy-hook', type: 'webhook' }],
    nodes: [
      { id: 'n1', type: 'trigger', position: { x: 0, y: 0 }, positionAbsolute: { x: 0, y: 0 }, data: { triggerId: 'legacy-hook' }, sourcePosition: 'right' },
      { id: 'n2', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'ok', value: true }] }, selected: false },
    ],
    edges: [{ id: 'e1', source: 'n1', target: 'n2', markerEnd: { type: 'arrow' } }],
    viewport: { x: 0, y: 0, zoom: 1 },
  },
  { name: 'Broken shape', nodes: [{ id: 'x', type: 'set' }], edges: [] },
  { name: 'Dangling edge', nodes: [{ id: 'a', type: 'noop', position: { x: 0, y: 0 }, data: {} }], edges: [{ id: 'e', source: 'a', target: 'ghost' }] },
];

async function cli(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', ...args], { cwd: join(import.meta.dirname, '..'), env: { ...process.env, OUTRUN_API_KEY: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('scripts/migrate', () => {
  it('imports drafts through a real gateway, reporting imported, failed and validation problems', async () => {
    const file = join(dir, 'workflows.json');
    await writeFile(file, JSON.stringify(legacy));
    const { code, stdout, stderr } = await cli(['--file', file, '--workspace', h.ws, '--api-url', h.baseUrl, '--api-key', h.apiKey, '--json']);
    expect(code).toBe(1); // one workflow failed
    expect(stderr).toMatch(/\[1\/3\] imported "Lead intake" → /);
    expect(stderr).toMatch(/\[2\/3\] FAILED +"Broken shape" \(OUT_ERR_VALIDATION/);
    expect(stderr).toContain('nodes.0.position');
    expect(stderr).toMatch(/\[3\/3\] imported "Dangling edge" .*problem/);
    expect(stderr).toContain('2 imported (1 with problems), 1 failed, 3 total');
    const results = JSON.parse(stdout) as MigrationResult[];
    expect(results.map((r) => r.status)).toEqual(['imported', 'failed', 'imported']);
    const first = results[0];
    if (first?.status !== 'imported') throw new Error('expected an import');
    const wf = await h.api.getWorkflow(h.ws, first.workflowId);
    expect(wf).toMatchObject({ status: 'draft', version: 1, name: 'Lead intake' });
    expect(wf.nodes[0]).not.toHaveProperty('positionAbsolute');
    expect(results[2]?.problems.some((p) => p.path.startsWith('edges.0'))).toBe(true);
    expect((await h.api.listWorkflows(h.ws)).items).toHaveLength(2);
  });

  it('validates only with --dry-run, and explains bad usage', async () => {
    const file = join(dir, 'one.json');
    await writeFile(file, JSON.stringify([{ name: 'Dry', nodes: [], edges: [] }]));
    const before = (await h.api.listWorkflows(h.ws)).items.length;
    const dry = await cli(['--file', file, '--workspace', h.ws, '--api-url', h.baseUrl, '--api-key', h.apiKey, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('1 imported (dry run)');
    expect((await h.api.listWorkflows(h.ws)).items).toHaveLength(before);
    const usage = await cli(['--file', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run migrate');
    const wrongKey = await cli(['--file', file, '--workspace', h.ws, '--api-url', h.baseUrl, '--api-key', 'out_nope_nope']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('OUT_ERR_UNAUTHENTICATED');
  });
});
