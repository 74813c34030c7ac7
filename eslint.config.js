import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering is enforced here, not by hope (STYLE.md, vscode's code-layering):
 *  - src-main/core imports nothing outside core (no I/O, no frameworks);
 *  - the renderer imports only types from src-main (the contract), never its code;
 *  - only the Electron host, the preload and the vault import `electron`.
 */
const NODE_BUILTINS = ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only hosts/electron.ts, security/vault and the preload import electron.' }] }],
    },
  },
  {
    files: ['src-main/hosts/electron.ts', 'src-main/security/vault*.ts', 'src-preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*', '!../../core/*'], message: 'core is pure: it imports only core.' },
            { group: ['**/db/**', '**/services/**', '**/api/**', '**/hosts/**', '**/security/**', '**/gateways/**'], message: 'core is pure: it imports only core.' },
            { group: ['typeorm', 'electron', 'mysql2', 'better-sqlite3', 'zod', 'react', ...NODE_BUILTINS], message: 'core has no I/O and no framework imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer never touches electron; it uses window.pay.' }],
          patterns: [
            { group: ['**/src-main/**'], allowTypeImports: true, message: 'The renderer imports only types from the main process (the contract).' },
            { group: ['node:*', 'typeorm', 'mysql2', 'better-sqlite3'], message: 'The renderer has no Node and no database.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src-main/(?!api/channel-names$|api/contract$)',
              allowTypeImports: true,
              message: 'The preload bundles only the channel list; everything else from main is type-only.',
            },
          ],
        },
      ],
    },
  },
);
