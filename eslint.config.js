import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', '.runbook/', 'test/fixtures/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: {globals: globals.node},
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // ink/react belong to the UI; process and HTTP libraries to the executors.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {group: ['ink', 'ink/*', 'react', 'react/*'], message: 'ink/react are only imported under src/ui/.'},
        ],
      }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/executors/**', 'src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {group: ['ink', 'ink/*', 'react', 'react/*'], message: 'ink/react are only imported under src/ui/.'},
          {group: ['execa', 'undici'], message: 'execa/undici are only imported under src/executors/.'},
        ],
      }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{group: ['execa', 'undici'], message: 'execa/undici are only imported under src/executors/.'}],
      }],
    },
  },
);
