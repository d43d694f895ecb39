// One lint config for the whole repo (typescript-eslint, type-aware where it matters).
import tseslint from 'typescript-eslint';

/** Modules that do I/O: the engine must never import them (STYLE.md, "Boundaries"). */
const ioModules = [
  'mongodb', 'bullmq', 'ioredis', 'express', 'openai', '@openai/agents', 'better-sqlite3', 'undici', 'pino',
  'node:fs', 'node:fs/promises', 'fs', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https',
  'node:child_process', 'child_process', 'node:dgram', 'node:dns', 'dns',
  '@outrun/store', '@outrun/queue', '@outrun/nodes', '@outrun/config',
];

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
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: '@outrun/engine is pure: no I/O imports (ARCHITECTURE.md).' })),
      }],
    },
  },
  {
    files: ['services/**/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
