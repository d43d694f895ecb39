import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors';

describe('docs/errors.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');

  it('documents every error code with a meaning and a fix', () => {
    const missing = Object.values(ErrorCode).filter((code) => !new RegExp(`^\\| \`${code}\` \\|[^|]+\\|[^|]+\\|`, 'm').test(doc));
    expect(missing).toEqual([]);
  });

  it('lists no code twice', () => {
    const listed = [...doc.matchAll(/^\| `(OUT_ERR_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect(listed.length).toBe(new Set(listed).size);
  });
});
