// Type-aware lint on the TypeScript sources: promises must be awaited or voided, switches over
// unions must be exhaustive, and source code carries no `any`.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // scripts/*.js are linted only for line length (the last block). Migrations are generated and never
  // edited once committed (docs/operations.md), so they are not linted.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '!scripts/*.js', 'migrations/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The console: hooks called unconditionally and with complete dependency lists.
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests read loosely typed HTTP bodies.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Lines ≤ 120 where Prettier cannot wrap (long SQL and message literals), everywhere but the
    // console's API types, generated from docs/openapi.json (npm run api:types).
    files: ['**/*.ts', '**/*.tsx', 'scripts/*.js'],
    ignores: ['apps/web/src/api/schema.d.ts'],
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] },
  },
);
