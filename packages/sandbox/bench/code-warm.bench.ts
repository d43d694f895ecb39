/**
 * First `code` step latency with and without warming (`warm(1)`, what the code node's `prepare` does): a fresh
 * sandbox per sample, its first call timed. Warm: `warm(1)`, then an idle pause (0: the first code run itself;
 * more: a later code step), then the call. Interleaved cold/warm, three rounds, medians.
 *   npx tsx packages/sandbox/bench/code-warm.bench.ts [idleMs=5000]
 */
import { createCodeSandbox } from '../src/code/code-sandbox';

const IDLE_MS = Number(process.argv[2] ?? 5000);
const SOURCE = 'return input.items.reduce((a, b) => a + b, 0);';
const scope = { input: { items: [1, 2, 3] }, trigger: {}, steps: {} };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function firstCall(warm: boolean): Promise<number> {
  const sandbox = createCodeSandbox({ workers: 2 });
  try {
    if (warm) {
      sandbox.warm(1);
      await new Promise((r) => setTimeout(r, IDLE_MS));
    }
    const t = performance.now();
    const { output } = await sandbox.run(SOURCE, 'javascript', scope);
    if (output !== 6) throw new Error(`unexpected output ${JSON.stringify(output)}`);
    return performance.now() - t;
  } finally {
    await sandbox.close();
  }
}

const cold: number[] = [];
const warm: number[] = [];
for (let round = 1; round <= 3; round++) {
  cold.push(await firstCall(false));
  warm.push(await firstCall(true));
  process.stdout.write(`round ${round}: cold ${cold.at(-1)!.toFixed(1)} ms, warm ${warm.at(-1)!.toFixed(1)} ms\n`);
}
process.stdout.write(`first code step, median of 3: cold ${median(cold).toFixed(1)} ms, warm ${median(warm).toFixed(1)} ms (idle ${IDLE_MS} ms before the warm call)\n`);
