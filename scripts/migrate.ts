/**
 * `npm run migrate -- --file workflows.json --workspace <id> --api-url http://localhost:3001 --api-key <key> [--dry-run] [--json]`
 *
 * Imports a JSON array of React Flow workflows (`[{name, nodes, edges}]`) into a workspace as drafts through
 * the gateway. Prints a progress line per workflow and a summary; exits 1 when any workflow failed.
 * `OUTRUN_API_URL` / `OUTRUN_API_KEY` may replace the flags.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createWorkflowApi } from '@outrun/client';
import { parseEnv } from '@outrun/config';
import { z } from 'zod';
import { migrateWorkflows, type MigrationResult } from './migrate-workflows';

const Env = z.object({ OUTRUN_API_URL: z.string().url().optional(), OUTRUN_API_KEY: z.string().optional() });

const USAGE = 'usage: npm run migrate -- --file <workflows.json> --workspace <id> --api-url <url> --api-key <key> [--dry-run] [--json]';

function line(r: MigrationResult, done: number, total: number): string {
  const head = `[${done}/${total}] ${r.status === 'imported' ? 'imported' : 'FAILED  '} "${r.name}"`;
  const tail = r.status === 'imported' ? ` → ${r.workflowId}` : ` (${r.code}: ${r.message})`;
  const problems = r.problems.map((p) => `\n      - ${p.path || '(workflow)'}: ${p.message}`).join('');
  const note = r.status === 'imported' && r.problems.length > 0 ? ` — ${r.problems.length} problem(s) to fix before activation` : '';
  return `${head}${tail}${note}${problems}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' }, workspace: { type: 'string' }, 'api-url': { type: 'string' }, 'api-key': { type: 'string' },
      'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  const env = parseEnv(Env);
  const apiUrl = values['api-url'] ?? env.OUTRUN_API_URL;
  const apiKey = values['api-key'] ?? env.OUTRUN_API_KEY;
  if (values.help || !values.file || !values.workspace || !apiUrl || !apiKey) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  let items: unknown;
  try {
    items = JSON.parse(await readFile(values.file, 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read ${values.file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (!Array.isArray(items)) {
    process.stderr.write(`${values.file} must hold a JSON array of workflows ([{name, nodes, edges}])\n`);
    return 2;
  }
  const api = createWorkflowApi({ baseUrl: apiUrl, apiKey });
  const results = await migrateWorkflows({
    api, workspaceId: values.workspace, items, dryRun: values['dry-run'],
    onProgress: (r, done, total) => process.stderr.write(`${line(r, done, total)}\n`),
  });
  const imported = results.filter((r) => r.status === 'imported');
  const failed = results.length - imported.length;
  const withProblems = imported.filter((r) => r.problems.length > 0).length;
  process.stderr.write(`\n${imported.length} imported${values['dry-run'] ? ' (dry run)' : ''} (${withProblems} with problems), ${failed} failed, ${results.length} total\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
