/**
 * Table rows of the scenarios added for issue 20's remaining items: latency-300, recovery, memory and
 * e2e-distributed (1/2/4 runners). Each runs `runs` times and reports the median, with a correctness row of its own
 * (nothing lost, nothing duplicated, every step recorded) beside the speed rows.
 */
import { runE2eDistributed, type DistributedResult } from './e2e-distributed';
import { runE2eEmbedded, type E2eResult } from './e2e-embedded';
import { runRecovery, type RecoveryResult } from './recovery';

export interface Row {
  scenario: string;
  measured: string;
  target: string;
  verdict: 'pass' | 'short' | 'ran' | 'failed';
}

export interface ScenarioSettings {
  runs: number;
  /** Load duration of latency-300, memory (overload) and e2e-distributed, s. */
  seconds: number;
  /** Steady rate of latency-300, runs/s. @default 300 */
  latencyRate?: number;
  /** Runs in flight at the kill of recovery. @default 200 */
  recoveryRuns?: number;
  /** Runner process counts of e2e-distributed. @default [1, 2, 4] */
  distributedRunners?: number[];
}

export const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
const f = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean): Row['verdict'] => (ok ? 'pass' : 'short');

async function repeat<T>(runs: number, once: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) out.push(await once());
  return out;
}

/** Every run of an embedded scenario: each accepted webhook recorded and completed once, every step recorded. */
export const embeddedCorrect = (r: E2eResult): boolean => r.lost === 0 && r.duplicated === 0 && r.failed === 0 && r.runsMissingSteps === 0 && r.recorded >= r.accepted;
const embeddedCorrectness = (rs: E2eResult[]) => rs.map((r) => `${f(r.accepted)} accepted / ${f(r.recorded)} recorded / ${r.lost} lost / ${r.duplicated} duplicated / ${r.runsMissingSteps} missing steps`).join('; ');

/** `latency-300`: `npm start`, a steady rate through the webhook; webhook accepted → run completed, from the store. */
export async function latencyRows(s: ScenarioSettings): Promise<Row[]> {
  const rate = s.latencyRate ?? 300;
  const rs = await repeat(s.runs, () => runE2eEmbedded(s.seconds, 50, { rate }));
  const m = median(rs, (r) => r.latencyP99Ms);
  return [
    { scenario: `latency-${rate}: accepted → completed p50 / p99`, measured: `${m.latencyP50Ms} / ${m.latencyP99Ms} ms (p50 ${m.waitP50Ms} ms of it waiting to start; accepted ${f(m.acceptedPerSecond)}/s; runs: ${rs.map((r) => `${r.latencyP50Ms}/${r.latencyP99Ms}`).join(', ')} ms)`, target: 'p50 ≤ 10 ms, p99 ≤ 50 ms at 300 runs/s', verdict: verdict(m.latencyP50Ms <= 10 && m.latencyP99Ms <= 50) },
    { scenario: `latency-${rate}: correctness`, measured: embeddedCorrectness(rs), target: 'nothing lost, nothing duplicated, every step recorded', verdict: verdict(rs.every(embeddedCorrect)) },
  ];
}

/** `memory`: `npm start` (web app off) idle, then the overload run (50 connections flat out, default mark 2,000). */
export async function memoryRows(s: ScenarioSettings): Promise<Row[]> {
  const rs = await repeat(s.runs, () => runE2eEmbedded(s.seconds, 50, { backlogHighWater: 2_000 }));
  const idle = median(rs, (r) => r.idleRssMb);
  const peak = median(rs, (r) => r.peakStackRssMb);
  return [
    { scenario: 'memory: idle RSS of the embedded stack (web app off)', measured: `${f(idle.idleRssMb)} MB (runs: ${rs.map((r) => f(r.idleRssMb)).join(', ')}; the npm wrapper, ≈ 50 MB, left out)`, target: '≤ 150 MB', verdict: verdict(idle.idleRssMb <= 150) },
    { scenario: 'memory: peak RSS during the overload run', measured: `${f(peak.peakStackRssMb)} MB without the npm wrapper, ${f(peak.peakRssMb)} MB with it (runs: ${rs.map((r) => f(r.peakStackRssMb)).join(', ')})`, target: '≤ 400 MB', verdict: verdict(peak.peakStackRssMb <= 400) },
    { scenario: 'memory: correctness', measured: rs.map((r) => `${f(r.accepted)} 2xx / ${f(r.refused)} 503 / ${f(r.recorded)} recorded / ${r.lost} lost / ${r.duplicated} duplicated`).join('; '), target: 'every 2xx recorded and run, no 503 recorded', verdict: verdict(rs.every((r) => embeddedCorrect(r) && r.recorded <= r.accepted + 50)) },
  ];
}

/** Recovery: every run completed once, each step recorded once; a sink call re-sent at most once per run (in flight at the kill). */
export const recoveryCorrect = (r: RecoveryResult): boolean =>
  r.accepted === r.runs && r.recorded === r.runs && r.completed === r.runs && r.failed === 0 && r.runsMissingSteps === 0 && r.sinkRuns === r.runs && r.sinkCalls - r.sinkRuns === r.sinkRepeatedRuns;

export async function recoveryRows(s: ScenarioSettings): Promise<Row[]> {
  const rs = await repeat(s.runs, () => runRecovery(s.recoveryRuns ?? 200));
  const m = median(rs, (r) => r.recoveredInMs);
  return [
    { scenario: 'recovery: kill -9 of the BullMQ runner, a new one starts', measured: `${m.inFlightAtKill} runs unfinished at the kill, all completed ${(m.recoveredInMs / 1000).toFixed(1)} s after it (runs: ${rs.map((r) => `${r.inFlightAtKill} in ${(r.recoveredInMs / 1000).toFixed(1)} s`).join(', ')})`, target: `~${s.recoveryRuns ?? 200} in flight; all finish exactly once`, verdict: rs.every((r) => r.inFlightAtKill > 0) ? 'ran' : 'short' },
    { scenario: 'recovery: correctness', measured: rs.map((r) => `${r.completed}/${r.runs} completed / ${r.failed} failed / ${r.unfinished} unfinished / ${r.runsMissingSteps} missing steps / ${r.sinkRepeatedRuns} calls re-sent once with the same key`).join('; '), target: 'every run completed once, every step recorded once', verdict: verdict(rs.every(recoveryCorrect)) },
  ];
}

export const distributedCorrect = (r: DistributedResult): boolean => r.lost === 0 && r.failed === 0 && r.runsMissingSteps === 0 && r.sinkRepeatedRuns === 0 && r.recorded >= r.accepted;

/** `e2e-distributed`: api + listener + 1/2/4 runner processes on BullMQ, through the public webhook URL. */
export async function distributedRows(s: ScenarioSettings): Promise<Row[]> {
  const rows: Row[] = [];
  const medians: DistributedResult[] = [];
  for (const n of s.distributedRunners ?? [1, 2, 4]) {
    const rs = await repeat(s.runs, () => runE2eDistributed(n, s.seconds));
    const m = median(rs, (r) => r.sustainedPerSecond);
    medians.push(m);
    rows.push(
      { scenario: `e2e-distributed, ${n} runner${n > 1 ? 's' : ''}: sustained completed runs/s`, measured: `${f(m.sustainedPerSecond)} (accepted ${f(m.acceptedPerSecond)}/s, drain ${m.drainSeconds.toFixed(1)} s, peak RSS ${f(m.peakRssMb)} MB over the processes; runs: ${rs.map((r) => f(r.sustainedPerSecond)).join(', ')})`, target: '≥ 750 runs/s', verdict: verdict(m.sustainedPerSecond >= 750) },
      { scenario: `e2e-distributed, ${n} runner${n > 1 ? 's' : ''}: correctness`, measured: rs.map((r) => `${f(r.accepted)} accepted / ${f(r.recorded)} recorded / ${r.failed} failed / ${r.lost} lost / ${r.sinkRepeatedRuns} duplicated / ${r.runsMissingSteps} missing steps`).join('; '), target: 'nothing lost, nothing duplicated, every step recorded', verdict: verdict(rs.every(distributedCorrect)) },
    );
  }
  if (medians.length > 1) {
    const [first, lastM] = [medians[0]!, medians.at(-1)!];
    rows.push({ scenario: `e2e-distributed: ${first.runners} → ${lastM.runners} runners`, measured: `${f(first.sustainedPerSecond)} → ${f(lastM.sustainedPerSecond)} runs/s`, target: 'no drop from 1 to 4 runners', verdict: verdict(lastM.sustainedPerSecond >= first.sustainedPerSecond * 0.95) });
  }
  return rows;
}
