// One lint config for the whole repo (typescript-eslint, type-aware where it matters).
import tseslint from 'typescript-eslint';

/**
 * What the engine may import (STYLE.md, "Boundaries"): the one model, zod, the expression language and the regex
 * engine. Everything else — I/O, services, other workspace packages — is refused by default, so a new dependency is a
 * decision made here, not a slip. Tests may also use their runners.
 */
const engineAllowed = ['@outrun/schemas', 'zod', 'jsonata', 're2js'];
const engineTestAllowed = [...engineAllowed, 'vitest', 'fast-check'];
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Matches any module specifier that is neither relative nor in `allowed`. */
const notIn = (allowed) => `^(?!\\.{1,2}/|(?:${allowed.map(escape).join('|')})(?:/|$)).*`;

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/next-env.d.ts', '.outrun/**', '**/*.config.js', '**/*.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: notIn(engineAllowed), message: '@outrun/engine is pure: it imports only ' + engineAllowed.join(', ') + ' (eslint.config.js).' }],
      }],
    },
  },
  {
    files: ['packages/engine/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: notIn(engineTestAllowed), message: 'engine tests import only ' + engineTestAllowed.join(', ') + ' (eslint.config.js).' }],
      }],
    },
  },
  {
    files: ['services/**/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
