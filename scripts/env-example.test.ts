/** `.env.example` lists every variable a service, `npm start` or the web app reads. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommonEnv } from '@outrun/config';
import { ApiEnv } from '@outrun/api';
import { ListenerEnv } from '@outrun/listener';
import { RunnerEnv } from '@outrun/runner';
import { StartEnv } from './start/env';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

describe('.env.example', () => {
  const listed = new Set([...read('../.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  it.each([
    ['common', CommonEnv],
    ['api', ApiEnv],
    ['listener', ListenerEnv],
    ['runner', RunnerEnv],
    ['npm start', StartEnv],
  ])('lists every variable of %s', (_name, schema) => {
    expect(Object.keys(schema.shape).filter((key) => !listed.has(key))).toEqual([]);
  });

  it('lists every variable the web server reads', () => {
    const names = new Set(read('../apps/web/src/lib/server-env.ts').match(/\b(?:OUTRUN|WORKFLOW)_[A-Z_]+\b/g) ?? []);
    expect([...names].filter((key) => !listed.has(key))).toEqual([]);
  });
});
