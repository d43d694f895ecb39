/**
 * What the expression sandbox costs: worker start-up, and per-call overhead against evaluating inline, for a
 * small and a large scope (the scope is copied to the worker by structured clone on every call).
 *   npm run bench -w @outrun/sandbox            (from the repo root: tsx packages/sandbox/bench/sandbox.bench.ts)
 */
import { evaluateTemplate } from '@outrun/engine';
import { createExpressionSandbox } from '../src/expression-sandbox';

const quick = process.argv.includes('--quick');
const calls = quick ? 300 : 2000;

const small = { input: { amount: 42, user: { name: 'Ada' } }, trigger: { body: { id: 7 } }, steps: {} };
const large = { input: { items: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item ${i}`, price: i % 97 })) }, trigger: null, steps: {} };
const template = '{{ $sum(input.items.price) + $count(input.items) }}';
const smallTemplate = '{{ input.amount * 2 & " for " & $uppercase(input.user.name) }}';

async function time(label: string, fn: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const us = ((performance.now() - started) * 1000) / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(8)} µs/call`);
  return us;
}

const sandbox = createExpressionSandbox();
const started = performance.now();
await sandbox.evaluateTemplate('{{ 1 }}', { input: null });
console.log(`${'worker start-up (first call)'.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(8)} ms`);

const inlineSmall = await time('inline, small scope', () => evaluateTemplate(smallTemplate, small), calls);
const boxedSmall = await time('sandbox, small scope', () => sandbox.evaluateTemplate(smallTemplate, small), calls);
const inlineLarge = await time('inline, 2,000-item scope', () => evaluateTemplate(template, large), calls / 10);
const boxedLarge = await time('sandbox, 2,000-item scope', () => sandbox.evaluateTemplate(template, large), calls / 10);
console.log(`overhead per call: small +${(boxedSmall - inlineSmall).toFixed(1)} µs, 2,000-item scope +${(boxedLarge - inlineLarge).toFixed(1)} µs`);
await sandbox.close();
