// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/*.lua', '**/coverage/**', '**/.nx/**', '**/lua-build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Core compiles to Lua 5.4 with TypeScriptToLua: no RegExp, JSON, Date, Intl, Node or DOM APIs.
    files: ['packages/core/src/**/*.ts', 'packages/udf/src/lua/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'JSON', message: 'Use the Json port (cjson in Lua).' },
        { name: 'Date', message: 'Use the Clock port.' },
        { name: 'RegExp', message: 'TypeScriptToLua cannot compile RegExp: use character checks.' },
        { name: 'Intl', message: 'Not available in Lua.' },
        { name: 'process', message: 'Not available in Lua.' },
        { name: 'Buffer', message: 'Not available in Lua.' },
        { name: 'console', message: 'Use the Log port.' },
        { name: 'setTimeout', message: 'Not available in Lua.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'Literal[regex]', message: 'TypeScriptToLua cannot compile regular expressions.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/vitest.config.ts', 'vitest.config.base.ts', '**/*.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The sme launcher is CommonJS (packages/cli/bin/package.json): node starts it without its ESM loader.
    files: ['packages/cli/bin/sme.js'],
    languageOptions: { sourceType: 'commonjs', globals: { __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
