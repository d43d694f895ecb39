/**
 * What a bench scenario's runs left in the SQLite file and at the sink: counts for the correctness checks (nothing
 * lost, nothing duplicated, every step recorded) and accept → completed latencies from the store's own timestamps.
 */
import { SqliteDriver as Database } from '@outrun/store/sqlite';
import type { HttpSink } from '@outrun/testing/http-sink';

/** One record per node of the reference workflow: trigger, score, check, post, and the untaken branch as skipped. */
export const REFERENCE_STEPS = 5;

export interface RunOutcome {
  recorded: number;
  completed: number;
  failed: number;
  /** Runs not completed nor failed (still queued or running). */
  unfinished: number;
  /** Runs whose step records are not exactly one per node. */
  runsMissingSteps: number;
  /** Sink calls in all, and by distinct run (the http-request node's Idempotency-Key starts with the run id). */
  sinkCalls: number;
  sinkRuns: number;
  /** Runs whose sink call arrived more than once (same key re-sent). */
  sinkRepeatedRuns: number;
  /** queued_at (webhook accepted, run recorded) → finished_at of completed runs, ms. */
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export const percentile = (sorted: number[], p: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

export function readRunOutcome(dbPath: string, workflowId: string, sink: HttpSink): RunOutcome {
  const db = new Database(dbPath, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(workflowId) as { n: number }).n;
    const recorded = count('SELECT count(*) AS n FROM runs WHERE workflow_id = ?');
    const completed = count("SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND status = 'completed'");
    const failed = count("SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND status = 'failed'");
    const runsMissingSteps = count(`SELECT count(*) AS n FROM runs r WHERE workflow_id = ? AND (SELECT count(*) FROM run_steps s WHERE s.run_pk = r.pk) <> ${REFERENCE_STEPS}`);
    const times = db.prepare("SELECT queued_at AS q, finished_at AS f FROM runs WHERE workflow_id = ? AND status = 'completed'").all(workflowId) as { q: string; f: string }[];
    const latencies = times.map((t) => Date.parse(t.f) - Date.parse(t.q)).sort((a, b) => a - b);
    const perRun = new Map<string, number>();
    for (const r of sink.requests) {
      const runId = String(r.headers['idempotency-key']).split(':')[0]!;
      perRun.set(runId, (perRun.get(runId) ?? 0) + 1);
    }
    return {
      recorded, completed, failed, unfinished: recorded - completed - failed, runsMissingSteps,
      sinkCalls: sink.requests.length, sinkRuns: perRun.size, sinkRepeatedRuns: [...perRun.values()].filter((n) => n > 1).length,
      latencyP50Ms: percentile(latencies, 50), latencyP99Ms: percentile(latencies, 99),
    };
  } finally {
    db.close();
  }
}

/** Runs finished in [fromMs, toMs] by the store's finished_at. */
export function finishedBetween(dbPath: string, workflowId: string, fromMs: number, toMs: number): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ? AND finished_at >= ? AND finished_at <= ?').get(workflowId, new Date(fromMs).toISOString(), new Date(toMs).toISOString()) as { n: number }).n;
  } finally {
    db.close();
  }
}
