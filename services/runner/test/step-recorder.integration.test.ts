/**
 * Step writes of one run: a step that finishes within the tick it started is recorded in one write (start folded
 * into the finish, input kept); a slow step's `running` row is committed while its side effect is in flight.
 */
import { SqliteDriver as Database } from '@outrun/store/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createWorkflow, edge, httpNode, inProcessWorld, node, startRuns, waitForTerminal, waitUntil, type InProcessWorld } from './harness';

let world: InProcessWorld | undefined;
let sink: HttpSink | undefined;
afterEach(async () => {
  await world?.close();
  await sink?.close();
  world = undefined;
  sink = undefined;
});

describe('step recorder', () => {
  it('folds instantaneous steps into one write and commits a slow step’s start before it finishes', async () => {
    let file = '';
    const seenWhileInFlight: string[] = [];
    sink = await startHttpSink({
      respond: async () => {
        // A separate connection sees only committed rows: the `call` step's start commits (one tick after the
        // request went out) while the request is still unanswered.
        const other = new Database(file, { readonly: true });
        const rows = () => (other.prepare('SELECT node_id, status FROM run_steps ORDER BY ord').all() as Array<{ node_id: string; status: string }>).map((r) => `${r.node_id}:${r.status}`);
        try {
          await waitUntil(() => rows().includes('call:running'), 5000, 'the call step to be recorded as running');
          seenWhileInFlight.push(...rows());
        } finally {
          other.close();
        }
        return { status: 200, body: { ok: true } };
      },
    });
    world = await inProcessWorld('memory');
    file = world.temp.file;
    const writes: string[] = [];
    const runs = world.store.runs;
    const { recordStepStart, recordStepFinish } = runs;
    runs.recordStepStart = (ws, id, step) => (writes.push(`start:${step.nodeId}`), recordStepStart(ws, id, step));
    runs.recordStepFinish = (ws, id, step) => (writes.push(`finish:${step.nodeId}${step.input === undefined ? '' : '+input'}`), recordStepFinish(ws, id, step));
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [node('double', 'set', { fields: [{ name: 'x', value: '{{ input.value * 2 }}' }] }), httpNode('call', `${sink.url}/call`)],
      edges: [edge('trigger', 'double'), edge('double', 'call')],
    });
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 1));
    expect(run!.status).toBe('completed');
    expect(writes).toEqual(['finish:trigger+input', 'finish:double+input', 'start:call', 'finish:call']);
    expect(seenWhileInFlight).toEqual(['trigger:completed', 'double:completed', 'call:running']);
    expect(run!.steps.map((s) => [s.nodeId, s.status, s.input !== undefined])).toEqual([
      ['trigger', 'completed', true],
      ['double', 'completed', true],
      ['call', 'completed', true],
    ]);
  });
});
