// Lint: TypeScript rules plus the architecture's import boundaries (docs/DESIGN.md#1-layers):
// only electron/main and electron/preload import 'electron'; the renderer imports only shared/
// and itself; shared/ imports nothing of ours; sip/, core/ and storage/ never reach the hosts;
// sip/ and storage/ import nothing from core/; core/ imports no sip.js (only sip/ drives it);
// support/ (Logger, Clock) imports none of them.
// The renderer also follows React's hooks rules and the JSX accessibility rules.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const noSipJs = 'electron/core imports no sip.js: the SIP mechanics live in electron/sip, which the core calls.';
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'tls', 'crypto', 'child_process', 'http', 'https'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'scratch/**'] },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', ...nodeBuiltins],
              message: 'shared/ is plain data and pure functions: no Node, no hosts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.tsx', 'renderer/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    // The classic hooks rules; the React Compiler's rules (no ref read during render) are not taken:
    // useFirstItemIndex derives an index from a ref during render on purpose, idempotently.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error', ...jsxA11y.flatConfigs.recommended.rules },
  },
  {
    files: ['renderer/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['**/electron/**', '**/server/**', ...nodeBuiltins], message: 'The renderer imports only shared/ and itself.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/sip/**', 'electron/core/**', 'electron/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/hosts/**', '**/main/**', '**/preload/**', '**/renderer/**'],
              message: 'Dependencies point one way: hosts -> core -> sip/storage -> support -> shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core is application policy over the SIP layer: sip.js is driven only from electron/sip,
    // which hands the core typed outcomes and the few sip.js types it holds (docs/DESIGN.md#1-layers).
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'sip.js', message: noSipJs }],
          patterns: [
            {
              group: ['**/hosts/**', '**/main/**', '**/preload/**', '**/renderer/**'],
              message: 'Dependencies point one way: hosts -> core -> sip/storage -> support -> shared.',
            },
            { group: ['sip.js/*'], message: noSipJs },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/sip/**', 'electron/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: [
                '**/hosts/**',
                '**/main/**',
                '**/preload/**',
                '**/renderer/**',
                '**/core/**',
                // sip.js's own core (its transactions and dialogs) is the library, not ours.
                '!sip.js/**',
              ],
              message: 'sip/ and storage/ sit below the core: nothing from electron/core (Logger and Clock are in electron/support).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/hosts/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/core/**', '**/sip/**', '**/storage/**'],
              message: 'electron/support sits below every other layer of electron/: it imports only shared/ and libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    // Test helpers live only in testing/ folders and never reach a production bundle: no production
    // file imports one. Tests, the helpers themselves, e2e/ and bench/ may.
    files: ['electron/**', 'shared/**', 'server/**', 'renderer/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**', 'e2e/**', 'bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportDeclaration[source.value=/(^|\\/)testing\\//], ExportAllDeclaration[source.value=/(^|\\/)testing\\//], ExportNamedDeclaration[source.value=/(^|\\/)testing\\//], ImportExpression[source.value=/(^|\\/)testing\\//]',
          message: 'Only tests and other test helpers import from a testing/ folder.',
        },
      ],
    },
  },
);
