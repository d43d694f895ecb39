/**
 * Cost linear in the work: a chain of `set` steps behind a sync webhook through the embedded stack (gateway,
 * listener, runner, SQLite file). The store work per step — calls into the run store, and step rows read back —
 * must not grow with the number of steps already taken. Counted, not timed: a sync webhook used to re-read the
 * whole run (every step so far) on each step event, so a 1,000-step run read ~500,000 step rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '@outrun/schemas';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';

let dir: string;
let stack: EmbeddedStack;
const work = { calls: 0, stepRowsRead: 0 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-step-cost-'));
  stack = await startEmbeddedStack({ file: join(dir, 'outrun.db'), encryptionKey: randomBytes(32).toString('hex') });
  // Count every run-store call made by the listener and the runner (they hold this same object).
  const runs = stack.store.runs as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(runs)) {
    if (typeof fn !== 'function') continue;
    runs[name] = async (...args: unknown[]) => {
      work.calls++;
      const result: unknown = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      const steps = (result as Partial<Run> | null)?.steps;
      if (Array.isArray(steps)) work.stepRowsRead += steps.length;
      return result;
    };
  }
});
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('store work per step of a sync-webhook run', () => {
  it('does not grow with the number of steps (20 vs 400 steps)', async () => {
    const { ws, api } = await stack.newWorkspace('step cost');
    const measure = async (steps: number) => {
      const nodes = Array.from({ length: steps }, (_, i) => ({ id: `s${i}`, type: 'set', position: { x: 0, y: 0 }, data: { fields: [{ name: 'n', value: i }] } }));
      const wf = await api.createWorkflow(ws, {
        name: `chain of ${steps}`,
        triggers: [{ id: `chain${steps}`, type: 'webhook', config: { responseMode: 'sync', syncTimeoutMs: 60_000 } }],
        nodes: [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: `chain${steps}` } }, ...nodes],
        edges: nodes.map((n, i) => ({ id: `e${i}`, source: i === 0 ? 't' : `s${i - 1}`, target: n.id })),
      });
      await api.activateWorkflow(ws, wf.id);
      await new Promise((r) => setTimeout(r, 200)); // the listener reloads its index every 50 ms
      work.calls = 0;
      work.stepRowsRead = 0;
      const res = await fetch(`${stack.baseUrl}/webhook/${ws}/chain${steps}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' });
      expect(res.status).toBe(200);
      const counted = { callsPerStep: work.calls / steps, rowsReadPerStep: work.stepRowsRead / steps };
      const { items: runs } = await api.listRuns(ws, { workflowId: wf.id });
      const run = await api.getRun(ws, runs[0]!.id);
      expect(run.status).toBe('completed');
      expect(run.steps).toHaveLength(steps + 1); // every step recorded, the trigger's too
      return counted;
    };
    const small = await measure(20);
    const large = await measure(400);
    // Fixed per-run work (create, mark running, finish, the final read) spreads thinner over more steps.
    expect(large.callsPerStep).toBeLessThanOrEqual(small.callsPerStep * 1.2);
    expect(large.rowsReadPerStep).toBeLessThanOrEqual(Math.max(small.rowsReadPerStep * 1.2, 4));
  });
});
