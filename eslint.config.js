// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformSdks = (except) =>
  ['@slack/*', 'discord.js', '@discordjs/*'].filter((p) => !except.includes(p));

const sdkPattern = { group: platformSdks([]), message: 'Platform SDKs belong in src/adapters/<platform>/ only.' };

// The layers of DESIGN.md: dependencies point down. The domain, the alerts and what they
// stand on never reach up into the chat model, the adapters or the commands.
const lowerLayers = ['src/db/**', 'src/trust/**', 'src/incidents/**', 'src/alerts/**', 'src/drafts/**', 'src/presentation/**', 'src/identity.ts'];
const upperLayerPattern = {
  group: ['**/chat/**', '**/adapters/**', '**/commands/**'],
  message: 'src/db, src/trust, src/incidents, src/alerts and what they stand on sit below the chat model, the adapters and the commands: they never import them (DESIGN.md, "Dependencies point down").',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'bench/results/', 'bench/profiles/', '.stryker-tmp/', 'reports/'] },
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
      'no-restricted-imports': ['error', { patterns: [sdkPattern] }],
    },
  },
  {
    files: lowerLayers,
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkPattern, upperLayerPattern] }] },
  },
  {
    // config.ts parses the environment once and hands a frozen object down.
    files: ['src/**', 'commands/**'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env: add the variable there and take it from the Config.' }],
    },
  },
  {
    // Commands and the chat model read and change the ledger through its façade (src/ledger.ts).
    files: ['commands/**', 'src/chat/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='db']", message: 'Commands and chat go through the Ledger (src/ledger.ts) and its channels, never its database: add what is missing there.' }],
      'no-restricted-imports': ['error', { patterns: [sdkPattern, { group: ['kysely'], message: 'Commands and chat do not write SQL: add what is missing to the Ledger (src/ledger.ts).' }] }],
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
