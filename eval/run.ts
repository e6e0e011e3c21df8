import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseLocation, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { repeatsJson } from '../src/incidents/incident-json.js';
import { createLedger } from '../src/ledger.js';
import { importVeris } from '../src/interop/veris-import.js';
import { evaluateHhs, missingHhs } from './hhs-run.js';
import { loadLabels, recordFiles } from './labels.js';
import { scoreRepeats } from './score.js';
import { scoreText } from './score-text.js';

// npm run eval [-- --data DIR] [--labels FILE] [--json]: imports the labelled VCDB
// sample into a scratch embedded ledger, lists repeat victims as `breachdesk repeats
// --json` does, and scores the list against the hand labels; then the same for the
// labelled HHS OCR breach portal sample when it is here (eval/hhs-run.ts).

const WINDOW_DAYS = 365; // the window the labels were made for
const { values } = parseArgs({ options: { data: { type: 'string' }, labels: { type: 'string' }, json: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.resolve(values.data ?? path.join(root, '../shared/data/vcdb/incidents'));
const labelsFile = path.resolve(values.labels ?? path.join(data, '../LABELS.json'));

const absent = [data, labelsFile].find((p) => !existsSync(p));
if (absent) {
  console.log(`Nothing scored: the labelled sample is not here (${absent} does not exist).`);
  // Without the shared data folder there is nothing to measure; a path typed wrong is a mistake.
  process.exit(values.data || values.labels ? 1 : 0);
}

const labels = await loadLabels(labelsFile);
const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-eval-'));
try {
  const database = await openDatabase(databaseLocation(`pglite:${dir}`));
  try {
    await migrateToLatest(database.db);
    const ledger = createLedger(database.db, { windowDays: WINDOW_DAYS });
    const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rimporting ${done}/${total}`) : undefined;
    const started = performance.now();
    const imported = await importVeris(ledger, [data], { onProgress: progress });
    const importSeconds = (performance.now() - started) / 1000;
    if (progress) process.stderr.write('\r\x1b[K');
    const listing = repeatsJson(WINDOW_DAYS, await ledger.repeats({ limit: 100_000 }));
    const score = scoreRepeats(labels, await recordFiles(data), listing);
    if (values.json) {
      console.log(JSON.stringify({ data, labels: labelsFile, windowDays: WINDOW_DAYS, importSeconds, import: imported, score }, null, 2));
    } else {
      console.log(`imported ${imported.imported} records in ${importSeconds.toFixed(1)} s (${imported.invalid.length} invalid, ${imported.joined.length} joined an incident they report again) from ${data}`);
      console.log(scoreText(score).join('\n'));
    }
    // The HHS OCR breach portal sample, beside it, when it is here (npm run eval:hhs alone).
    const hhsDir = path.resolve(root, '../shared/data/hhs');
    if (!values.data && !missingHhs(hhsDir)) {
      const hhs = await evaluateHhs(hhsDir, WINDOW_DAYS);
      if (values.json) console.log(JSON.stringify({ hhs: { data: hhsDir, ...hhs } }, null, 2));
      else {
        console.log(`\nHHS OCR breach portal: imported ${hhs.imported} records in ${hhs.importSeconds.toFixed(1)} s (${hhs.invalid.length} invalid, ${hhs.joined} joined an incident they report again) from ${hhsDir}`);
        console.log(scoreText(hhs.score).slice(0, 2).join('\n'));
      }
    }
  } finally {
    await database.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
