import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';
import base from './vitest.config.js';

// Files that need no database first: Stryker stops at a mutant's first failing test,
// and a fault in a word list or a regex is usually caught there in milliseconds.
const DATABASE_TESTS = /victim-rules|victim-resolution-branches|repeat-window-edges|repeat-window-sql-mutants/;
class PureTestsFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (DATABASE_TESTS.test(f.moduleId) ? 1 : 0);
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)));
  }
}

// `npm run mutate` (stryker.config.js): only the tests that exercise the decision
// core, on PGlite alone, so each mutant runs in seconds and a full run in minutes.
// The same files run in `npm test`, on PGlite and PostgreSQL. ledger.test.ts is left
// out: its demo seed runs the whole core in beforeAll, where Stryker cannot tell
// which test covers what, so every mutant would run every test.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/incidents/partial-date*.test.ts',
      'test/incidents/victim-name*.test.ts',
      'test/incidents/victim-resolution*.test.ts',
      'test/incidents/victim-rules.test.ts',
      'test/incidents/repeat-*.test.ts',
      'test/incidents/same-event*.test.ts',
    ],
    // Empty reads as unset in test/support/databases.ts: PGlite only.
    env: { TEST_DATABASE_URL: '' },
    sequence: { sequencer: PureTestsFirst },
  },
});
