// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.maturity/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (an async callback handed to
    // setInterval, a job started and forgotten).
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The store owns SQL: product code reaches the database only through its methods.
    files: ['src/**/*.ts', 'connectors/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='dbForTests']",
          message: 'dbForTests is for tests and benchmarks: go through the Store methods.',
        },
      ],
    },
  },
  {
    // Connectors flow into the domain only: from src/ they may import src/domain/** and the error
    // catalogue (src/errors.ts), nothing else, not even types (the store is reached through the
    // SyncSink of connectors/shared/sync-sink.ts). test/connectors/lint-rule.test.ts shows it.
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!domain/|errors\\.js$)',
              message:
                'a connector may import only src/domain/** and src/errors.ts from src/: write through the SyncSink (connectors/shared/sync-sink.ts)',
            },
          ],
        },
      ],
    },
  },
);
