/**
 * The real browser of the web e2e tests: Debian's Chromium through playwright-core (never a downloaded build),
 * headless with the flags this machine needs, and the folder the tests write their screenshots to.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** `docs/screenshots/` (created on first use). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts headless Chromium; makes sure the screenshots folder exists. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
