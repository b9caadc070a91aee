// Lint rules, including the layer rule: src/core is pure and imports only zod and itself.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Globals that only exist in a browser or in Node; the pure core must not touch them. */
const platformGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'fetch',
  'XMLHttpRequest',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'setTimeout',
  'setInterval',
].map((name) => ({ name, message: 'src/core is pure: pass this in from app, server or scripts.' }));

/**
 * The questionnaire module's contract (src/core/questionnaire/index.ts): an import of any other
 * file of the module is refused, but those `allowed` (a pattern of file names) let through.
 */
const questionnaireImports = (allowed) =>
  ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map(
    (node) => ({
      selector: `${node}[source.value=/(^|\\/)questionnaire\\/(?!${allowed}$)[^\\/]+$/]`,
      message:
        'Use the questionnaire module through its contract, src/core/questionnaire/index.ts (the rest of src/core may also use its internal.ts).',
    }),
  );

/** The compiled graph of a questionnaire and an interview state's arrays, which only the engine reads. */
const graphMessage =
  'The compiled graph is the engine’s: ask src/core/questionnaire/index.ts (isRelevant, itemOf, getAnswer...).';
const graphProperties = [
  ...['nodeById', 'nodes', 'rank', 'dependents'].map((property) => ({ property })),
  ...['relevant', 'values'].map((property) => ({ object: 'state', property })),
].map((restriction) => ({ ...restriction, message: graphMessage }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'bench/.build/**',
      'dist-server/**',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...platformGlobals],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything that is neither zod nor a relative path inside src/core.
              regex: '^(?!zod(/|$))(?!\\.{1,2}/).*',
              message:
                'src/core may import only zod and itself: it runs in the browser and in Node alike.',
            },
            {
              // Relative paths that climb out of src/core (to the app, the server, or beyond src).
              regex: '^(\\.\\./)+(app|server|scripts|tests|public)(/|$)|^(\\.\\./){3,}',
              message:
                'src/core may import only zod and itself: it runs in the browser and in Node alike.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server(/|$)',
              message: 'The app never imports the server: share code through src/core.',
            },
            {
              // The dashboard is a page of its own; the tablets must never load its code.
              regex: '^(\\.\\./)+dashboard(/|$)',
              message: 'The app never imports the dashboard: it would grow the tablets’ bundle.',
            },
            { regex: '^node:', message: 'The app runs in a browser: no node:* modules.' },
          ],
        },
      ],
    },
  },
  {
    // Only src/app/storage talks to IndexedDB through Dexie: one storage seam, so that the rest of
    // the app runs as well on the in-memory store.
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/app/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'dexie', message: 'Only src/app/storage imports dexie.' }] },
      ],
    },
  },
  {
    // The coordinator dashboard: a browser page that shares the core and the app's components only.
    files: ['src/dashboard/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server(/|$)',
              message: 'The dashboard never imports the server: it talks to it over HTTP.',
            },
            {
              // Into src/app, only the shared components and the plain stylesheet.
              regex: '^(\\.\\./)+app/(?!components/[^/]+$|styles\\.css$)',
              message: 'The dashboard imports only src/app/components (and the app stylesheet).',
            },
            { regex: '^node:', message: 'The dashboard runs in a browser: no node:* modules.' },
            { regex: '^dexie(/|$)', message: 'The dashboard keeps nothing in IndexedDB.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(app|dashboard)(/|$)',
              message:
                'The server never imports the app or the dashboard: share code through src/core.',
            },
            { regex: '^(react|dexie)(/|$)', message: 'The server does not use browser libraries.' },
          ],
        },
      ],
    },
  },
  {
    // Everyone outside src/core runs questionnaires through the engine's contract only.
    files: ['**/*.{ts,tsx}'],
    ignores: ['src/core/**', 'tests/unit/core/**'],
    rules: { 'no-restricted-syntax': ['error', ...questionnaireImports('index\\.ts')] },
  },
  {
    // unknowns.ts too: the second evaluation of records, imported apart so that the tablet's
    // first screen (which loads index.ts and internal.ts) does not carry it.
    files: ['src/core/**/*.ts', 'tests/unit/core/**/*.ts'],
    ignores: ['src/core/questionnaire/**'],
    rules: {
      'no-restricted-syntax': ['error', ...questionnaireImports('(index|internal|unknowns)\\.ts')],
    },
  },
  {
    files: [
      'src/app/**/*.{ts,tsx}',
      'src/dashboard/**/*.{ts,tsx}',
      'src/server/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      'tests/integration/**/*.ts',
      'tests/helpers/**/*.ts',
    ],
    rules: { 'no-restricted-properties': ['error', ...graphProperties] },
  },
);
