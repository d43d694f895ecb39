/**
 * The set-up most browser tests share: the embedded stack, headless Chromium and one page (20 s default timeout;
 * confirm() dialogs accepted unless told otherwise). Register it once per file:
 *   const ui = useBrowserStack({ viewport: { width: 1280, height: 800 } });
 *   …ui.page, ui.stack…
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startStack, type Stack, type StackOptions } from './stack';

export interface BrowserStack {
  readonly stack: Stack;
  readonly browser: Browser;
  readonly page: Page;
}

export interface BrowserStackOptions {
  viewport: { width: number; height: number };
  /** The stack's options, or a function giving them (when they depend on something another hook started first). */
  stack?: StackOptions | (() => StackOptions | Promise<StackOptions>);
  /** Accept `confirm()` dialogs. @default true */
  acceptDialogs?: boolean;
  /** How long the stack (and a `next build` when the web build is stale) may take. @default 300 s */
  setupTimeoutMs?: number;
}

/** Registers beforeAll/afterAll for the current file and returns the live stack, browser and page. */
export function useBrowserStack(options: BrowserStackOptions): BrowserStack {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    stack = await startStack(typeof options.stack === 'function' ? await options.stack() : options.stack);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: options.viewport });
    page.setDefaultTimeout(20_000);
    if (options.acceptDialogs !== false) page.on('dialog', (d) => void d.accept());
  }, options.setupTimeoutMs ?? 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const live = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (used outside a test?)`);
    return value;
  };
  return {
    get stack() {
      return live(stack, 'stack');
    },
    get browser() {
      return live(browser, 'browser');
    },
    get page() {
      return live(page, 'page');
    },
  };
}
