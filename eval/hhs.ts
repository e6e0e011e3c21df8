import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseLocation, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { repeatsJson } from '../src/incidents/incident-json.js';
import { createLedger } from '../src/ledger.js';
import { readHhs } from '../src/interop/hhs.js';
import { importHhs } from '../src/interop/hhs-import.js';
import { loadHhsLabels } from './hhs-labels.js';
import { scoreRepeats } from './score.js';
import { scoreText } from './score-text.js';

// npm run eval:hhs [-- --data DIR] [--json]: imports the labelled HHS OCR breach portal
// files (both layouts, shared/data/hhs/) into a scratch embedded ledger, lists repeat
// victims as `breachdesk repeats --json` does, and scores the list against the hand labels
// by the rule of that folder's README (the same rule as the VCDB sample's).

const WINDOW_DAYS = 365;
const FILES = ['hhs-2014', 'hhs-2015'];
const { values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.resolve(values.data ?? path.join(root, '../shared/data/hhs'));
const labelsFile = path.join(data, 'LABELS.json');

const absent = [labelsFile, ...FILES.map((f) => path.join(data, `${f}.csv`))].find((p) => !existsSync(p));
if (absent) {
  console.log(`Nothing scored: the labelled sample is not here (${absent} does not exist).`);
  process.exit(values.data ? 1 : 0);
}

const labels = await loadHhsLabels(labelsFile);
const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-eval-hhs-'));
try {
  const database = await openDatabase(databaseLocation(`pglite:${dir}`));
  try {
    await migrateToLatest(database.db);
    const ledger = createLedger(database.db, { windowDays: WINDOW_DAYS });
    // Each record's id in the labels ('hhs-2014:12', the 1-based data row) by its external id in the ledger.
    const recordOf = new Map<string, string>();
    const started = performance.now();
    const summaries = [];
    for (const file of FILES) {
      const text = await readFile(path.join(data, `${file}.csv`), 'utf8');
      for (const row of readHhs(text).rows) if ('mapped' in row) recordOf.set(row.mapped.externalId, `${file}:${row.row}`);
      summaries.push(await importHhs(ledger, text, { file }));
    }
    const importSeconds = (performance.now() - started) / 1000;
    const listing = repeatsJson(WINDOW_DAYS, await ledger.repeats({ limit: 100_000 }));
    const score = scoreRepeats(labels, recordOf, listing);
    const imported = summaries.reduce((n, s) => n + s.imported, 0);
    const invalid = summaries.flatMap((s) => s.invalid);
    const joined = summaries.reduce((n, s) => n + s.joined.length, 0);
    if (values.json) {
      console.log(JSON.stringify({ data, windowDays: WINDOW_DAYS, importSeconds, imported, invalid, joined, score }, null, 2));
    } else {
      console.log(`imported ${imported} records in ${importSeconds.toFixed(1)} s (${invalid.length} invalid, ${joined} joined an incident they report again) from ${data}`);
      for (const bad of invalid.slice(0, 5)) console.log(`  not imported: ${bad.file}: ${bad.reason}`);
      console.log(scoreText(score).join('\n'));
    }
  } finally {
    await database.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
