// Lint: typed rules for floating promises and type-only imports; the core may not touch editor APIs.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '**/*.mjs', '**/*.js'] },
  {
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The pure core: text + settings in, findings and edits out. No editor or protocol APIs.
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The core is editor-independent: no vscode imports.' },
            { name: 'vscode-languageserver', message: 'The core is protocol-independent: convert in server/src/lsp.' },
            { name: 'vscode-languageserver/node', message: 'The core is protocol-independent: convert in server/src/lsp.' },
            { name: 'vscode-languageserver-protocol', message: 'The core is protocol-independent: convert in server/src/lsp.' },
            { name: 'vscode-languageclient', message: 'The core is editor-independent.' },
          ],
          patterns: [{ group: ['vscode-languageserver/*', 'vscode-languageclient/*'], message: 'The core is protocol-independent.' }],
        },
      ],
    },
  },
);
