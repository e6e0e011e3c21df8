import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import type { Ledger } from '../ledger.js';
import { reviseFromSource } from '../incidents/revision.js';
import type { Reporter } from '../incidents/report.js';
import { recordImported } from './import-record.js';
import { VerisRecordError, mapVeris } from './veris.js';

export interface ImportSummary {
  imported: number;
  updated: number;
  /** Already imported and unchanged. */
  skipped: number;
  invalid: { file: string; reason: string }[];
  /** Placeholder victims kept as unattributed incidents. */
  unattributed: number;
  /** Records that report an event the ledger already held: how many, and each with the incident it joined and why. */
  doubleEntries: number;
  joined: { file: string; report: string; incident: string; reason: string }[];
  /** Victims created although a known victim had a similar name: worth a look. */
  nearMatches: { file: string; victim: string; similarTo: string[] }[];
  /** Alerts queued (only with `alerts: true`, and only for incidents started within the window of today). */
  alerted: number;
}

export interface ImportOptions {
  /** Queue alerts for incidents whose start lies within the repeat window of today. Off by default. */
  alerts?: boolean;
  /** Never join a record to an incident it looks like: each is an incident of its own (`--new-incident`). */
  newIncidents?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const IMPORTER: Reporter = { platform: 'import', workspace: null, user: 'veris-import' };

/**
 * Imports VERIS 1.3.x incident documents (the VCDB layout: one JSON file per
 * incident) from files and folders. Re-importing updates changed records and skips
 * unchanged ones; a bad file is reported with its reason and never stops the run.
 */
export async function importVeris(ledger: Ledger, paths: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const files = await jsonFiles(paths);
  const summary: ImportSummary = { imported: 0, updated: 0, skipped: 0, invalid: [], unattributed: 0, doubleEntries: 0, joined: [], nearMatches: [], alerted: 0 };
  for (const [n, file] of files.entries()) {
    const name = path.basename(file);
    try {
      const text = await readFile(file, 'utf8');
      const hash = createHash('sha256').update(text).digest('hex');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new VerisRecordError(`not JSON: ${(error as Error).message}`);
      }
      const mapped = mapVeris(json);
      const existing = await ledger.db.selectFrom('incidents').select(['id', 'source_hash']).where('external_id', '=', mapped.externalId).executeTakeFirst();
      if (existing?.source_hash === hash) {
        summary.skipped += 1;
      } else if (existing) {
        await reviseFromSource(ledger.db, existing.id, mapped.submission, hash, { platform: 'import', workspace: null, userId: null, name: IMPORTER.user });
        summary.updated += 1;
      } else {
        const submission = options.newIncidents ? { ...mapped.submission, newIncident: true } : mapped.submission;
        const { outcome, alerted, nearMatch } = await recordImported(ledger, submission, IMPORTER, { alerts: options.alerts, externalId: mapped.externalId, sourceHash: hash });
        summary.imported += 1;
        if (nearMatch) summary.nearMatches.push({ file: name, ...nearMatch });
        if (mapped.unattributed) summary.unattributed += 1;
        if (outcome.joined) {
          summary.doubleEntries += 1;
          summary.joined.push({ file: name, report: outcome.joined.report, incident: outcome.incident.reference, reason: outcome.joined.reason });
        } else if (alerted) summary.alerted += 1;
      }
    } catch (error) {
      const reason = error instanceof ValidationError
        ? error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')
        : error instanceof Error ? error.message : String(error);
      summary.invalid.push({ file: name, reason });
    }
    options.onProgress?.(n + 1, files.length);
  }
  return summary;
}

/** Every .json file named, or inside a folder named, in name order. */
async function jsonFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p);
    if (info.isDirectory()) {
      files.push(...(await readdir(p)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(p, f)));
    } else {
      files.push(p);
    }
  }
  return files;
}
