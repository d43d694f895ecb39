/**
 * Where a `--cpu-prof` profile's time went, by area, over its busiest `seconds` (the load phase of a bench):
 * self time of each sample bucketed by the file of its function. Idle samples are left out.
 * `npx tsx bench/cpu-profile-shares.ts <file.cpuprofile> [seconds=10]`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
}

const AREAS: Array<[string, RegExp]> = [
  ['express and its middleware packages', /node_modules\/(express|router|body-parser|finalhandler|path-to-regexp|send|serve-static|on-finished|accepts|type-is|qs|content-type|depd|parseurl|vary|proxy-addr)\//],
  ['gateway (services/api)', /services\/api\/src\//],
  ['listener (services/listener)', /services\/listener\/src\//],
  ['runner and engine', /services\/runner\/src\/|packages\/(engine|nodes|sandbox)\//],
  ['store and queue', /packages\/(store|queue)\//],
  ['other workspace packages', /(packages|connectors)\/[^/]+\/src\//],
  ['other npm packages', /node_modules\//],
  ['Node internals (http, net, streams, timers)', /^node:/],
];

function areaOf(node: ProfileNode): string | null {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return null;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || url === '') return 'V8/native (program, natives)';
  for (const [area, pattern] of AREAS) if (pattern.test(url)) return area;
  return 'other';
}

const [file, secondsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-shares.ts <file.cpuprofile> [seconds]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const windowUs = Number(secondsArg ?? 10) * 1e6;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Each sample: its time, its area (null = idle) and the time it stands for.
const samples: Array<{ t: number; area: string | null; us: number }> = [];
let t = profile.endTime - profile.timeDeltas.reduce((a, b) => a + b, 0);
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  samples.push({ t, area: areaOf(byId.get(profile.samples[i]!)!), us: profile.timeDeltas[i + 1] ?? 0 });
}
// The busiest window (two pointers over the samples).
let best = { from: 0, busy: -1 };
for (let lo = 0, hi = 0, busy = 0; hi < samples.length; hi++) {
  if (samples[hi]!.area) busy += samples[hi]!.us;
  while (samples[hi]!.t - samples[lo]!.t > windowUs) if (samples[lo++]!.area) busy -= samples[lo - 1]!.us;
  if (busy > best.busy) best = { from: lo, busy };
}
const times = new Map<string, number>();
for (let i = best.from; i < samples.length && samples[i]!.t - samples[best.from]!.t <= windowUs; i++) {
  const { area, us } = samples[i]!;
  if (area) times.set(area, (times.get(area) ?? 0) + us);
}
const total = [...times.values()].reduce((a, b) => a + b, 0);
process.stdout.write(`busy ${(total / 1e6).toFixed(2)} s of the busiest ${secondsArg ?? 10} s\n`);
for (const [area, us] of [...times].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${area}\n`);
