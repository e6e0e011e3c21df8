import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { importRecord, reasonOf } from './import-summary.js';
import type { ImportOptions, ImportSummary, MappedRecord } from './import-summary.js';

/** One record of a source: where it is (a file, a row) and how to read it. */
export interface SourceRecord {
  where: string;
  /** The record mapped to a submission; throws what is wrong with it. */
  read: () => MappedRecord | Promise<MappedRecord>;
}

/**
 * Imports a source's records in its order, each in a transaction of its own (all or
 * nothing). A record that cannot be read or recorded goes to `refused` (by default
 * `summary.invalid`, with why) and the rest go on.
 *
 * (Records in batches — one transaction per 200, a savepoint each — were measured and
 * gave nothing: a record's commit does not wait for the disk. bench/README.md.)
 */
export async function importRecords<S extends ImportSummary>(
  ledger: Ledger,
  records: SourceRecord[],
  reporter: Reporter,
  summary: S,
  options: ImportOptions,
  refused: (where: string, error: unknown) => void = (where, error) => summary.invalid.push({ file: where, reason: reasonOf(error) }),
): Promise<S> {
  for (const [n, { where, read }] of records.entries()) {
    try {
      await importRecord(ledger, await read(), where, reporter, summary, options);
    } catch (error) {
      refused(where, error);
    }
    options.onProgress?.(n + 1, records.length);
  }
  return summary;
}
