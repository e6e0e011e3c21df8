import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseLocation, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { repeatsJson } from '../src/incidents/incident-json.js';
import { createLedger } from '../src/ledger.js';
import { readHhs } from '../src/interop/hhs.js';
import { importHhs } from '../src/interop/hhs-import.js';
import { loadHhsLabels } from './hhs-labels.js';
import { scoreRepeats } from './score.js';
import type { EvalScore } from './score.js';

export const HHS_FILES = ['hhs-2014', 'hhs-2015'];

export interface HhsEval {
  importSeconds: number;
  imported: number;
  invalid: { file: string; reason: string }[];
  joined: number;
  score: EvalScore;
}

/** The files and labels the HHS evaluation needs in `dir`, or the first one missing. */
export function missingHhs(dir: string): string | null {
  return [path.join(dir, 'LABELS.json'), ...HHS_FILES.map((f) => path.join(dir, `${f}.csv`))].find((p) => !existsSync(p)) ?? null;
}

/**
 * Imports both HHS files (the older layout first, as they were published) into a
 * scratch embedded ledger, lists repeat victims as `breachdesk repeats --json` does, and
 * scores the list against the hand labels by the README's rule.
 */
export async function evaluateHhs(dir: string, windowDays: number): Promise<HhsEval> {
  const labels = await loadHhsLabels(path.join(dir, 'LABELS.json'));
  const scratch = await mkdtemp(path.join(tmpdir(), 'breachdesk-eval-hhs-'));
  try {
    const database = await openDatabase(databaseLocation(`pglite:${scratch}`));
    try {
      await migrateToLatest(database.db);
      const ledger = createLedger(database.db, { windowDays });
      // Each record's id in the labels ('hhs-2014:12', the 1-based data row) by its external id in the ledger.
      const recordOf = new Map<string, string>();
      const started = performance.now();
      const summaries = [];
      for (const file of HHS_FILES) {
        const text = await readFile(path.join(dir, `${file}.csv`), 'utf8');
        for (const row of readHhs(text).rows) if ('mapped' in row) recordOf.set(row.mapped.externalId, `${file}:${row.row}`);
        summaries.push(await importHhs(ledger, text, { file }));
      }
      const importSeconds = (performance.now() - started) / 1000;
      const listing = repeatsJson(windowDays, await ledger.repeats({ limit: 100_000 }));
      return {
        importSeconds,
        imported: summaries.reduce((n, s) => n + s.imported, 0),
        invalid: summaries.flatMap((s) => s.invalid),
        joined: summaries.reduce((n, s) => n + s.joined.length, 0),
        score: scoreRepeats(labels, recordOf, listing),
      };
    } finally {
      await database.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
