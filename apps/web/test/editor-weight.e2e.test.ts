/**
 * Measurement (issue 17 "Measure"), not a pass/fail budget: on the 200-node workflow, the time to the first node
 * painted and the longest task during a 30-step node drag (three fresh page loads, each printed), and the
 * first-load JavaScript of the editor page (raw = decoded bytes, gzip = bytes on the wire from `next start`).
 * Run it on two builds to compare: `npx vitest run apps/web/test/editor-weight.e2e.test.ts`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('editor weight (measurement)', () => {
  it('prints first node painted, longest drag task and first-load JS of the editor on 200 nodes', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => (i === 0 ? 'start' : `n${i}`));
    const triggerId = `trg_weight_${Date.now()}`;
    const big = await stack.api.createWorkflow(stack.workspaceId, {
      name: 'Two hundred nodes (weight)',
      triggers: [{ id: triggerId, type: 'manual' }],
      nodes: ids.map((id, i) => ({
        id, type: i === 0 ? 'trigger' : 'set', position: { x: (i % 20) * 220, y: Math.floor(i / 20) * 120 },
        data: i === 0 ? { triggerId } : { fields: [{ name: `f${i}`, value: i }] },
      })),
      edges: ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i] ?? 'start', target: id })),
    });
    const url = `${stack.webUrl}/workflows/${encodeURIComponent(big.id)}`;
    for (let round = 1; round <= 3; round += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('dialog', (d) => void d.accept());
      await page.addInitScript(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
      });
      const started = Date.now();
      await page.goto(url);
      await page.locator('.react-flow__node').first().waitFor({ timeout: 30_000 });
      const firstNodeMs = Date.now() - started;
      const js = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
        .reduce((sum, e) => ({ raw: sum.raw + (e as PerformanceResourceTiming).decodedBodySize, wire: sum.wire + (e as PerformanceResourceTiming).encodedBodySize }), { raw: 0, wire: 0 }));
      await page.evaluate(() => { (window as unknown as { longTasks: number[] }).longTasks = []; });
      for (let i = 0; i < 6; i += 1) await page.locator('.react-flow__controls-zoomin').click();
      const box = await page.locator('.react-flow__node').first().boundingBox();
      if (!box) throw new Error('no node in view');
      await page.mouse.move(box.x + 20, box.y + 10);
      await page.mouse.down();
      await page.mouse.move(box.x + 160, box.y + 90, { steps: 30 });
      await page.mouse.up();
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      console.log(`editor weight round ${round}: first node painted ${firstNodeMs} ms; longest task during drag ${Math.round(Math.max(0, ...longTasks))} ms (${longTasks.length} long tasks); first-load JS raw ${(js.raw / 1024).toFixed(1)} KiB, on the wire (gzip) ${(js.wire / 1024).toFixed(1)} KiB`);
      expect(js.raw).toBeGreaterThan(0);
      await context.close();
    }
  });
});
