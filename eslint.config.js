// Lint rules, including the dependency rule of docs/architecture.md:
//   domain <- app <- {store, http, webhooks, sms, jobs, cli}, wired together in src/main.ts.
// A layer may import only the layers to its left; the rule below fails the lint otherwise.
// Tests import sources, never the reverse: no source under src/ imports test code (test/, or
// node's test runner), so a suite cannot pose as a source. Tests are `*.test.ts` files, beside
// their source or under test/, and are linted with the same TypeScript rules.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every src/ block of `no-restricted-imports` lists this pattern: a later block replaces the
// rule's options for its files instead of adding to them.
const noTestCode = {
  group: ['**/test/**', '**/test', 'node:test'],
  message:
    'Sources never import test code: a suite is a *.test.ts file, beside its source or under test/.',
};

// One writer of events (docs/architecture.md, "How a change is made"): an order's event is
// written by `commitChange` (src/app/ledger.ts), which every change goes through, with the change
// (`LedgerStore.writeChange`); `appendEvent` is only for the one event about no order (an endpoint
// disabled).
const oneEventWriter = {
  group: ['**/app/events.js', './events.js'],
  importNames: ['appendEvent'],
  message:
    'Order events are written by changeOrder/commitChange (src/app/ledger.ts), never appended directly.',
};

const layerPatterns = (forbidden, message, extra = []) => [
  ...forbidden.map((dir) => ({
    group: [`**/${dir}/*`, `**/${dir}`, `../${dir}/**`, `./${dir}/**`],
    message,
  })),
  ...extra,
  noTestCode,
];

const layer = (name, forbidden, message, extra = []) => ({
  files: [`src/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: layerPatterns(forbidden, message, [oneEventWriter, ...extra]) },
    ],
  },
});

const infrastructure = ['store', 'http', 'webhooks', 'sms', 'jobs', 'cli', 'main.js'];
const appMessage = 'src/app imports only src/domain and its own ports (dependency rule).';

// The core names no dialect: a dialect fills the hooks of src/app/dialect-hooks.ts, registered
// by src/app/dialects.ts. The dialects are the folders of src/http/dialects/, so a new one is
// kept out of the core without an edit here.
const dialects = readdirSync(new URL('src/http/dialects/', import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const coreFiles = [
  'ledger',
  'events',
  'verify',
  'create-order',
  'order-operations',
  'dialect-hooks',
  'merchants',
];
const noDialect = {
  group: [
    ...dialects.flatMap((d) => [`./${d}*`, `./ports/${d}*`, `../domain/${d}*`]),
    './dialects.js',
  ],
  message: 'The core names no dialect: a dialect fills the hooks of src/app/dialect-hooks.ts.',
};
const appBlock = (files, extra) => ({
  files: files.map((f) => `src/app/${f}.ts`),
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: layerPatterns(infrastructure, appMessage, extra) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        setImmediate: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // Every source (the layers below repeat the pattern with their own).
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestCode] }] },
  },
  // domain: pure rules. No project layer, no I/O, no clock, no randomness.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/app', ...infrastructure.map((d) => `**/${d}/**`)],
              message: 'src/domain imports nothing of ours but src/domain (dependency rule).',
            },
            {
              group: ['node:*', 'fs', 'net', 'http', 'crypto', 'child_process'],
              message: 'src/domain is pure: no I/O, clock or randomness. Take them as parameters.',
            },
            noTestCode,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Pass the time in; domain code never reads the clock.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Domain code takes randomness as input.' },
      ],
    },
  },
  layer('app', infrastructure, appMessage),
  appBlock(coreFiles, [oneEventWriter, noDialect]),
  // The two callers of the outbox writer.
  appBlock(['ledger'], [noDialect]),
  appBlock(['endpoint-health'], []),
  layer(
    'store',
    ['http', 'webhooks', 'jobs', 'cli'],
    'src/store implements app ports; it does not import other adapters.',
  ),
  layer(
    'http',
    ['store', 'jobs', 'cli'],
    'src/http talks to use cases in src/app, never to the store directly.',
    [
      {
        // The core operations know no face's lifecycle: a face calls its own use cases, and the
        // admin face operateAsAdmin, which applies the order's face's rules under the lock.
        group: ['**/app/order-operations.js'],
        message:
          'Faces call their own use cases or operateAsAdmin (src/app/admin-order-operations.ts).',
      },
      {
        // Data is reached through use cases and query functions of src/app, which name the
        // records they return; the store's ports are theirs. The clock and the SMS outbox are
        // ports of another kind, which the faces use directly.
        group: ['**/app/ports/*', '!**/app/ports/clock.js', '!**/app/ports/sms.js'],
        message:
          'src/http reaches data through use cases and query functions in src/app, not the store ports.',
      },
      {
        group: ['**/app/context.js'],
        importNames: ['query'],
        message:
          'src/http calls a named query function of src/app (e.g. src/app/order-queries.ts).',
      },
    ],
  ),
  {
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // The app's store, wherever the deps are held (`deps.store`, `options.deps.store`);
          // other objects may have a `store` (find-my-way's route store).
          selector:
            "MemberExpression[property.name='store'][object.name='deps'], MemberExpression[property.name='store'][object.property.name='deps']",
          message: 'src/http reaches data through use cases and query functions in src/app.',
        },
      ],
    },
  },
  layer(
    'webhooks',
    ['http', 'jobs', 'cli'],
    'src/webhooks depends on src/app and src/domain only.',
  ),
  layer(
    'sms',
    ['store', 'http', 'webhooks', 'jobs', 'cli'],
    'src/sms implements the SMS port of src/app; it depends on src/app and src/domain only.',
  ),
  layer('jobs', ['http', 'cli'], 'src/jobs depends on src/app, src/domain and src/webhooks.'),
  // dashboard: browser code, bundled by esbuild. It shares only the pure domain (money parsing,
  // so amounts are validated exactly as the API does) and talks to the server over the admin API.
  {
    files: ['src/dashboard/**/*.ts', 'src/dashboard/**/*.tsx'],
    rules: {
      // TypeScript checks names against the DOM library (tsconfig.dashboard.json).
      'no-undef': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/app', ...infrastructure.map((d) => `**/${d}/**`), 'node:*'],
              message:
                'src/dashboard runs in the browser: it imports only src/domain and npm packages.',
            },
            noTestCode,
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: {
      'no-restricted-imports': 'off',
      'no-restricted-syntax': 'off',
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The runner runs only *.test.ts files: a test defined anywhere else under test/ never runs.
  // Helpers there may open a describe and its hooks; the tests are the test file's own.
  {
    files: ['test/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:test',
              importNames: ['it', 'test'],
              message: 'Tests live in *.test.ts files: scripts/run-tests.mjs runs only those.',
            },
          ],
        },
      ],
    },
  },
);
