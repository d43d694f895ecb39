import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { aiAgentNode, AiAgentParams, createNodeCatalog, defaultApiMode, estimateCost, OPENAI_BASE_URL, PriceTable, resolvePricing } from '@outrun/nodes';

const run = promisify(execFile);

describe('@outrun/nodes entry point', () => {
  it('exports the ai-agent node and the light AI helpers', () => {
    expect(createNodeCatalog().get('ai-agent')).toBe(aiAgentNode);
    expect(AiAgentParams.safeParse({}).success).toBe(false);
    expect(defaultApiMode(OPENAI_BASE_URL)).toBe('responses');
    const table = PriceTable.parse({ version: 't', currency: 'USD', models: { 'm-1': { input: 1, output: 2 } } });
    expect(estimateCost(resolvePricing({ priceTable: table }), 'm-1', { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 }).cost).toBeCloseTo(3);
  });

  it('does not load the Agents SDK or the openai client on import', async () => {
    // A resolve hook in a fresh process records every bare specifier the import pulls in.
    const hook = `export async function resolve(s, c, next) { if (/^(openai|@openai\\/)/.test(s)) process.stderr.write('SDK ' + s + '\\n'); return next(s, c); }`;
    const script = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)})); const m = await import('@outrun/nodes'); process.stdout.write(String(typeof m.aiAgentNode.execute));`;
    const cwd = fileURLToPath(new URL('../../..', import.meta.url));
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, timeout: 60_000 });
    expect(stdout).toBe('function');
    expect(stderr).not.toMatch(/SDK /);
  }, 70_000);
});
