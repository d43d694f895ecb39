/**
 * Engine benchmark: `npm run bench:engine`. Prints, per scenario, the engine overhead per step (wall
 * time of the run minus the nodes' own `execute` time, calibrated by replaying the run's node calls
 * back to back without the engine right after each run, divided by the steps) as median and
 * p99 over many runs, and steps/s on one core, next to the targets (≤ 25 µs/step, ≥ 40,000 steps/s).
 *
 * Scenarios: a 10-node linear set/transform/condition workflow (with and without recording hooks) and a
 * 100-branch fan-out into a merge, with minimal in-bench nodes; then the same with the real
 * @outrun/nodes catalog when it can be loaded (`set`, `transform` with JSONata, `condition`).
 */
import { performance } from 'node:perf_hooks';
import { WorkflowSettings } from '@outrun/schemas';
import { z } from 'zod';
import { executeWorkflow, systemClock, seededRandom, type ExecuteWorkflowOptions, type NodeCatalog, type NodeDefinition } from '../src/index';

const TARGET_US = 25;
const TARGET_STEPS_PER_S = 40_000;

type Workflow = ExecuteWorkflowOptions['workflow'];
interface Captured { def: NodeDefinition; ctx: Parameters<NodeDefinition['execute']>[0] }
interface Timed { catalog: NodeCatalog; capture: Captured[] | null }

/**
 * Wraps every definition so one run's executions can be captured (definition + context) and replayed
 * alone to calibrate node time. Timing `execute` inside the run would double-count parallel branches
 * (their intervals overlap while they wait in the microtask queue).
 */
function timed(catalog: NodeCatalog): Timed {
  const t: Timed = { catalog: new Map(), capture: null };
  for (const [type, def] of catalog) {
    (t.catalog as Map<string, NodeDefinition>).set(type, { ...def, execute: (ctx) => {
      t.capture?.push({ def, ctx });
      return def.execute(ctx);
    } } as NodeDefinition);
  }
  return t;
}

/** Mean time (ms) the nodes of one run take when executed back to back, awaited, without the engine. */
async function calibrateNodeTime(captured: Captured[], reps: number): Promise<number> {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) for (const c of captured) await c.def.execute(c.ctx);
  return (performance.now() - t0) / reps;
}

/** Minimal stand-ins for set / transform / condition / merge (engine cost is what is measured). */
function benchCatalog(): NodeCatalog {
  const base = { label: '', description: '', icon: 'box', inputs: [{ id: 'in' }] };
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const defs = [
    { ...base, type: 'set', category: 'data', outputs: [{ id: 'out' }], params: z.object({ values: z.record(z.string(), z.json()) }),
      execute: async (ctx: { input: unknown; params: { values: Record<string, unknown> } }) => ({ output: { ...obj(ctx.input), ...ctx.params.values } }) },
    { ...base, type: 'transform', category: 'data', outputs: [{ id: 'out' }], params: z.object({}),
      execute: async (ctx: { input: unknown }) => { const i = obj(ctx.input); return { output: { ...i, n: (Number(i.n) || 0) + 1 } }; } },
    { ...base, type: 'condition', category: 'flow', outputs: [{ id: 'true' }, { id: 'false' }], params: z.object({ left: z.json().optional(), right: z.json().optional() }),
      execute: async (ctx: { input: unknown; params: { left?: unknown; right?: unknown } }) => ({ output: ctx.input, handle: ctx.params.left !== ctx.params.right ? 'true' : 'false' }) },
    { ...base, type: 'merge', category: 'flow', outputs: [{ id: 'out' }], waitsForAllInputs: true, params: z.object({}),
      execute: async (ctx: { input: unknown }) => ({ output: ctx.input }) },
  ];
  return new Map(defs.map((d) => [d.type, d as unknown as NodeDefinition]));
}

const settings = WorkflowSettings.parse({ branchConcurrency: 256 });
const wf = (nodes: Workflow['nodes'], edges: Workflow['edges']): Workflow => ({ id: 'wf-bench', workspaceId: 'ws-bench', nodes, edges, settings });
const chainEdges = (ids: string[], handleOf: (id: string) => string | undefined): Workflow['edges'] =>
  ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i] as string, target: id, sourceHandle: handleOf(ids[i] as string) ?? null }));

/** set → transform → condition, repeated: 10 nodes in a line; conditions compare a {{ }} template. */
function linear10(kind: 'bench' | 'real'): Workflow {
  const pattern = ['set', 'transform', 'condition'] as const;
  const nodes = Array.from({ length: 10 }, (_, i) => {
    const type = pattern[i % 3] as string;
    const data: Record<string, unknown> =
      type === 'set' ? (kind === 'bench' ? { values: { [`f${i}`]: i } } : { fields: [{ name: `f${i}`, value: i }] })
      : type === 'transform' ? (kind === 'bench' ? {} : { expression: '$merge([input, {"n": ($exists(input.n) ? input.n : 0) + 1}])' })
      : kind === 'bench' ? { left: '{{ input.n }}', right: -1 } : { left: '{{ input.n }}', operator: 'notEquals', right: -1 };
    return { id: `n${i}`, type, data };
  });
  return wf(nodes, chainEdges(nodes.map((n) => n.id), (id) => (nodes.find((n) => n.id === id)?.type === 'condition' ? 'true' : undefined)));
}

/** One set node fanning out to 100 set branches, all joined by one merge: 102 steps. */
function fanout100(kind: 'bench' | 'real'): Workflow {
  const set = (i: number) => (kind === 'bench' ? { values: { [`b${i}`]: i } } : { fields: [{ name: `b${i}`, value: i }] });
  const nodes: Array<Workflow['nodes'][number]> = [{ id: 'start', type: 'set', data: set(-1) }];
  const edges: Array<Workflow['edges'][number]> = [];
  for (let i = 0; i < 100; i++) {
    nodes.push({ id: `b${i}`, type: 'set', data: set(i) });
    edges.push({ id: `s${i}`, source: 'start', target: `b${i}` }, { id: `m${i}`, source: `b${i}`, target: 'merge' });
  }
  nodes.push({ id: 'merge', type: 'merge', data: kind === 'bench' ? {} : { mode: 'object' } });
  return wf(nodes, edges);
}

interface Row { scenario: string; steps: number; median: number; p99: number; stepsPerS: number }

async function measure(scenario: string, workflow: Workflow, t: Timed, runs: number, withHooks: boolean): Promise<Row> {
  const recorded: unknown[] = [];
  const hooks = withHooks ? { onStepStart: async (s: unknown) => { recorded.push(s); }, onStepFinish: async (s: unknown) => { recorded.push(s); } } : undefined;
  const options = (i: number): ExecuteWorkflowOptions => ({
    workflow, catalog: t.catalog, runId: `run-${i}`, trigger: { type: 'manual', payload: { n: 0 } },
    clock: systemClock, random: seededRandom(1), ...(hooks ? { hooks } : {}),
  });
  const warm = Math.max(50, Math.floor(runs / 5));
  let steps = 0;
  for (let i = 0; i < warm; i++) {
    const r = await executeWorkflow(options(i));
    if (r.status !== 'completed') throw new Error(`${scenario}: run ${r.status} ${JSON.stringify(r.error)}`);
    steps = Object.keys(r.outputs).length;
  }
  t.capture = [];
  await executeWorkflow(options(-1));
  const captured = t.capture;
  t.capture = null;
  await calibrateNodeTime(captured, 50);
  // Runs and node-only replays alternate, so drifting load on a shared machine hits both alike.
  const perStep: number[] = [];
  let wall = 0;
  for (let i = 0; i < runs; i++) {
    recorded.length = 0;
    const t0 = performance.now();
    await executeWorkflow(options(i));
    const ms = performance.now() - t0;
    wall += ms;
    const nodeMs = await calibrateNodeTime(captured, 1);
    perStep.push(((ms - nodeMs) * 1000) / steps);
  }
  perStep.sort((a, b) => a - b);
  const q = (p: number) => perStep[Math.min(perStep.length - 1, Math.floor(p * perStep.length))] as number;
  return { scenario, steps, median: q(0.5), p99: q(0.99), stepsPerS: (steps * runs) / (wall / 1000) };
}

function print(rows: Row[]): void {
  const verdict = (r: Row) => (r.median <= TARGET_US && r.stepsPerS >= TARGET_STEPS_PER_S ? 'PASS' : 'MISS');
  const header = ['scenario', 'steps', 'median µs/step', 'p99 µs/step', 'steps/s', 'target', 'result'];
  const body = rows.map((r) => [r.scenario, String(r.steps), r.median.toFixed(2), r.p99.toFixed(2), Math.round(r.stepsPerS).toLocaleString('en-US'), `≤${TARGET_US} µs, ≥${TARGET_STEPS_PER_S.toLocaleString('en-US')}/s`, `${verdict(r)}${r.p99 > TARGET_US ? ' (p99 over)' : ''}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const scale = quick ? 0.2 : 1;
  console.log(`@outrun/engine bench — node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
  console.log('overhead = run wall time − calibrated node execute time, per step; steps/s = all steps / all wall time (one core)\n');
  const bench = timed(benchCatalog());
  const rows: Row[] = [
    await measure('linear-10 set/transform/condition', linear10('bench'), bench, Math.round(5000 * scale), false),
    await measure('linear-10 + recording hooks', linear10('bench'), bench, Math.round(5000 * scale), true),
    await measure('fan-out 100 → merge', fanout100('bench'), bench, Math.round(500 * scale), false),
  ];
  try {
    const nodes = (await import('@outrun/nodes')) as { createNodeCatalog?: () => NodeCatalog };
    if (typeof nodes.createNodeCatalog === 'function') {
      const real = timed(nodes.createNodeCatalog());
      rows.push(await measure('linear-10 (@outrun/nodes)', linear10('real'), real, Math.round(3000 * scale), false));
      rows.push(await measure('fan-out 100 → merge (@outrun/nodes)', fanout100('real'), real, Math.round(300 * scale), false));
    }
  } catch (err) {
    console.log(`(@outrun/nodes rows skipped: ${err instanceof Error ? err.message : String(err)})\n`);
  }
  print(rows);
}

await main();
