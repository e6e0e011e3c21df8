import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { readHhs } from './hhs.js';
import { emptySummary, importRecord, reasonOf } from './import-summary.js';
import type { ImportOptions, ImportSummary } from './import-summary.js';

const IMPORTER: Reporter = { platform: 'import', workspace: null, user: 'hhs-import' };

/**
 * Imports the HHS OCR breach portal's CSV (either layout, hhs.ts) as reports through the
 * same path as a chat report: validation, victim resolution, one event from many
 * reports, TLP and audit. Re-importing skips unchanged rows and revises changed ones; a
 * bad row is reported with its row number and never stops the run. A file that is not
 * the portal's throws HhsFormatError before anything is written.
 */
export async function importHhs(ledger: Ledger, text: string, options: ImportOptions & { file?: string } = {}): Promise<ImportSummary> {
  const { rows } = readHhs(text);
  const summary = emptySummary();
  const file = options.file ?? 'hhs';
  for (const [n, entry] of rows.entries()) {
    const where = `${file}:${entry.row}`;
    try {
      if ('problem' in entry) throw new Error(entry.problem);
      await importRecord(ledger, entry.mapped, where, IMPORTER, summary, options);
    } catch (error) {
      summary.invalid.push({ file: where, reason: reasonOf(error) });
    }
    options.onProgress?.(n + 1, rows.length);
  }
  return summary;
}
