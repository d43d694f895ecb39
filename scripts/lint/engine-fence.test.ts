/**
 * The engine's import fence is an allow-list (eslint.config.js): a module that is not named there is refused, so
 * adding an I/O dependency to the engine is a visible decision. Lints sample sources as if they were engine files.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Sample sources are not in a tsconfig: lint them without type information (only the fence rule is asserted).
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function fenceMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('engine import fence', () => {
  const engineFile = 'packages/engine/src/fence-sample.ts';

  it.each(['node:fs', 'fs', 'pino', 'undici', '@outrun/store', '@outrun/config', 'some-new-package', 'zodiac'])('refuses %s', async (name) => {
    const messages = await fenceMessages(`import x from '${name}';\nexport const y = x;\n`, engineFile);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('@outrun/engine is pure');
  });

  it('allows the model, zod, the expression language, the regex engine and relative imports', async () => {
    const code = ["import { ErrorCode } from '@outrun/schemas';", "import { z } from 'zod';", "import jsonata from 'jsonata';",
      "import { RE2JS } from 're2js';", "import { a } from './a';", "import { b } from '../b';", 'export const all = [ErrorCode, z, jsonata, RE2JS, a, b];', ''].join('\n');
    expect(await fenceMessages(code, engineFile)).toEqual([]);
  });

  it('lets engine tests use their runners, and nothing else', async () => {
    const testFile = 'packages/engine/src/fence-sample.test.ts';
    expect(await fenceMessages("import { it } from 'vitest';\nimport fc from 'fast-check';\nexport const t = [it, fc];\n", testFile)).toEqual([]);
    expect(await fenceMessages("import fs from 'node:fs';\nexport const t = fs;\n", testFile)).toHaveLength(1);
  });

  it('does not fence other packages', async () => {
    expect(await fenceMessages("import fs from 'node:fs';\nexport const t = fs;\n", 'packages/nodes/src/fence-sample.ts')).toEqual([]);
  });
});
