// @ts-check
// Mutation testing of the decision core: `npm run mutate` (docs/mutation-testing.md).
// Not part of `npm test`; run it before changing these files.
import process from 'node:process';

// PGlite only: a mutant run on a PostgreSQL server too would double the time and add
// nothing the core's SQL does not already show on PGlite (npm test runs both).
delete process.env.TEST_DATABASE_URL;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  mutate: [
    'src/incidents/partial-date.ts',
    'src/incidents/repeat-breach.ts',
    'src/incidents/repeat-window.ts',
    'src/incidents/victim-name.ts',
    'src/incidents/victim-resolution.ts',
    'src/incidents/same-event.ts',
    'src/incidents/event-evidence.ts',
  ],
  // Only what the tests need is copied into the sandbox.
  ignorePatterns: ['/dist/', '/data/', '/bench/', '/deploy/', '/coverage/', '/reports/', '*.log', '.env'],
  coverageAnalysis: 'perTest',
  // Two cores, shared: never more than two test processes.
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
