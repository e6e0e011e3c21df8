import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { readHhs } from './hhs.js';
import { importRecords } from './import-records.js';
import type { SourceRecord } from './import-records.js';
import { emptySummary } from './import-summary.js';
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
  const file = options.file ?? 'hhs';
  const records = rows.map((entry): SourceRecord => ({
    where: `${file}:${entry.row}`,
    read: () => {
      if ('problem' in entry) throw new Error(entry.problem);
      return entry.mapped;
    },
  }));
  return importRecords(ledger, records, IMPORTER, emptySummary(), options);
}
