// The conventions a machine checks (`npm run lint`, run by `npm test`). Each rule is here for a
// reason written next to it; this is not the whole "recommended" set on purpose.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The folders that must run anywhere (Node, the CLI, the tests, a page): no extension API.
const PURE = ['src/wbxml/**', 'src/activesync/**', 'src/owa/**', 'src/captures/**'];

// Extension pages reach the browser through src/ui/connect only; these are the sanctioned
// adapters (see test/ui/extension-api.test.ts).
const UI_ADAPTERS = ['src/ui/connect/**', 'src/ui/devtools/devtools-api.ts', 'src/ui/devtools/devtools.ts'];

const PURE_MESSAGE = 'No extension API in the pure folders: pass what you need in from the caller.';
const UI_MESSAGE = 'Extension pages reach the browser through src/ui/connect only.';
const noExtensionGlobals = (message) => [
  { name: 'chrome', message },
  { name: 'browser', message },
];
// Pages use the browser's own API (src/ui/connect/browser-api.ts); the polyfill is for the
// background and the content script.
const noPolyfill = (message) => ({ paths: [{ name: 'webextension-polyfill', message }] });

// `globalThis.chrome`, `(globalThis as X).browser`, `g.chrome?.devtools`: the ways round
// no-restricted-globals.
const extensionLookups = (message) => [
  { selector: 'MemberExpression[property.type="Identifier"][property.name=/^(chrome|browser)$/]', message },
  { selector: 'MemberExpression[computed=true][property.value=/^(chrome|browser)$/]', message },
];

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.tmp/**', 'coverage/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{js,mjs,ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // The layering (pure codec, client and OWA logic; a background on top; UI through one
      // connector) holds only while nothing imports in a circle.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      // Types vanish at build time; saying so keeps esbuild's bundles free of dead imports.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // Today: no `any`, no `@ts-ignore`. Keep it.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A codec, an XML writer and a curl exporter match control characters on purpose.
      'no-control-regex': 'off',
      // TypeScript checks these better than ESLint can (tsc --noEmit runs in npm test).
      'no-undef': 'off',
      'no-redeclare': 'off',
    },
  },
  {
    // Plain JavaScript (build.mjs, scripts, benchmark/run.mjs) has no types to check.
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // A promise nobody awaits in the background is an error nobody sees: a service worker
    // logs it nowhere a user looks, and a storage write may land after the next read.
    files: ['src/background/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-globals': ['error', ...noExtensionGlobals(PURE_MESSAGE)],
      'no-restricted-imports': ['error', noPolyfill(PURE_MESSAGE)],
      'no-restricted-syntax': ['error', ...extensionLookups(PURE_MESSAGE)],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    ignores: UI_ADAPTERS,
    rules: {
      'no-restricted-globals': ['error', ...noExtensionGlobals(UI_MESSAGE)],
      'no-restricted-imports': ['error', noPolyfill(UI_MESSAGE)],
      'no-restricted-syntax': ['error', ...extensionLookups(UI_MESSAGE)],
    },
  },
  {
    // The adapters may look the API up, but pages never bundle the polyfill.
    files: UI_ADAPTERS,
    rules: {
      'no-restricted-imports': ['error', noPolyfill("Pages use the browser's own API (browser-api.ts), not the polyfill.")],
    },
  },
);
