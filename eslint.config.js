// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformSdks = (except) =>
  ['@slack/*', 'discord.js', '@discordjs/*'].filter((p) => !except.includes(p));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A bot that drops a rejected promise loses work silently.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Platform SDKs stay inside their adapter folders.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: platformSdks([]), message: 'Platform SDKs belong in src/adapters/<platform>/ only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/slack/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['discord.js', '@discordjs/*'], message: 'Discord stays in src/adapters/discord/.' }] }],
    },
  },
  {
    files: ['src/adapters/discord/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@slack/*'], message: 'Slack stays in src/adapters/slack/.' }] }],
    },
  },
  {
    // Tests look for escape sequences and control characters on purpose.
    files: ['test/**'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Migrations are written against Kysely<any> so they never depend on today's types.
    files: ['migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
