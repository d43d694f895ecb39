import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

describe('docs/api.md', () => {
  it('lists every route the gateway serves, extensions marked', async () => {
    const doc = await readFile(join(import.meta.dirname, '../../../docs/api.md'), 'utf8');
    const missing: string[] = [];
    for (const route of h.app.routes) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${route.method.toUpperCase()} | \`${route.path}\` |`));
      if (!row) missing.push(`${route.method.toUpperCase()} ${route.path}`);
      else if (route.extension && !row.includes('**ext**')) missing.push(`${route.method.toUpperCase()} ${route.path} (not marked ext)`);
    }
    expect(missing).toEqual([]);
  });
});
