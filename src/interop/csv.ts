import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Database, Tlp } from '../db/schema.js';
import { OPERATOR, tlpLabel, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { ValidationError } from '../errors.js';
import { loadIncidents, loadVictims } from '../incidents/incident-view.js';
import type { Ledger } from '../ledger.js';
import { formatPartialDate } from '../incidents/partial-date.js';
import { reviseFromSource } from '../incidents/revision.js';
import type { Reporter } from '../incidents/report.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import type { MarkingCounts } from './export-markings.js';
import { recordImported } from './import-record.js';
import { fromSpreadsheetSafe, spreadsheetSafe } from './spreadsheet-cell.js';

/**
 * The one CSV layout, for export and import. Lists are separated by ";" (sources,
 * which cannot contain spaces, by a space); impact is three true/false columns;
 * dates are written at their precision (2019, 2020-04, 2020-06-30). Records end with
 * CRLF (RFC 4180); import reads CRLF and LF alike.
 */
export const CSV_COLUMNS = [
  'reference', 'victim', 'victim_kind', 'victim_sector', 'country', 'region', 'city',
  'start_date', 'end_date', 'discovered_date', 'disclosed_date', 'title', 'summary', 'description',
  'vendor', 'vector', 'confidentiality', 'integrity', 'availability', 'motives', 'techniques',
  'threat_actors', 'records_affected', 'sources', 'external_id', 'tlp',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
type Row = Record<Column, string>;

/**
 * Every incident, oldest first, as CSV with the header; each row carries its TLP
 * marking. `upTo` leaves out incidents marked higher; retracted ones never travel.
 * A cell a spreadsheet would run as a formula begins with `'` (see spreadsheet-cell.ts);
 * `importCsv` takes it off again.
 */
export async function exportCsv(db: Kysely<Database>, options: { upTo?: Tlp } = {}): Promise<string> {
  return (await exportCsvMarked(db, options)).csv;
}

/** {@link exportCsv}, and how many of its rows carry each marking (the command line warns of those above GREEN). */
export async function exportCsvMarked(db: Kysely<Database>, options: { upTo?: Tlp } = {}): Promise<{ csv: string; markings: MarkingCounts }> {
  const viewer: Viewer = { ...OPERATOR, upTo: options.upTo ?? 'red' };
  const ids = (await db.selectFrom('incidents').select('id').where(visibleTo(viewer)).orderBy('id').execute()).map((r) => r.id);
  const rows: Row[] = [];
  const markings: MarkingCounts = {};
  for (let i = 0; i < ids.length; i += 1000) {
    const incidents = (await loadIncidents(db, ids.slice(i, i + 1000))).sort((a, b) => a.id - b.id);
    const victims = new Map((await loadVictims(db, [...new Set(incidents.map((x) => x.victimId))])).map((v) => [v.id, v]));
    for (const x of incidents) {
      const v = victims.get(x.victimId)!;
      const date = (d: typeof x.ended) => (d ? formatPartialDate(d) : '');
      rows.push({
        reference: x.reference, victim: v.name, victim_kind: v.kind ?? '', victim_sector: v.sector ?? '', country: v.country ?? '', region: v.region ?? '', city: v.city ?? '',
        start_date: formatPartialDate(x.started), end_date: date(x.ended), discovered_date: date(x.discovered), disclosed_date: date(x.disclosed),
        title: x.title, summary: x.summary, description: x.description ?? '', vendor: x.vendor ?? '', vector: x.vector ?? '',
        confidentiality: String(x.impact.includes('confidentiality')), integrity: String(x.impact.includes('integrity')), availability: String(x.impact.includes('availability')),
        motives: x.motives.join(';'), techniques: x.techniques.join(';'), threat_actors: x.threatActors.join(';'),
        records_affected: x.recordsAffected === null ? '' : String(x.recordsAffected), sources: x.sources.join(' '), external_id: x.externalId ?? '',
        tlp: tlpLabel(x.tlp),
      });
      markings[x.tlp] = (markings[x.tlp] ?? 0) + 1;
    }
  }
  const safe = rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, spreadsheetSafe(cell)])));
  // RFC 4180 ends records with CRLF. csv-stringify then quotes only cells holding CRLF,
  // so a cell with a lone LF or CR (multi-line text as stored) is quoted by name.
  const csv = stringify(safe, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  return { csv, markings };
}

export interface CsvImportSummary {
  imported: number;
  updated: number;
  skipped: number;
  /** `row 3` (the header is row 1) and what is wrong, by column. */
  invalid: { file: string; reason: string }[];
  nearMatches: { file: string; victim: string; similarTo: string[] }[];
}

const IMPORTER: Reporter = { platform: 'import', workspace: null, user: 'csv-import' };

// Where each submission field is in the CSV, so an error names the column.
const COLUMN_OF: Record<string, string> = {
  'victim.name': 'victim', 'victim.kind': 'victim_kind', 'victim.sector': 'victim_sector', 'victim.country': 'country', 'victim.region': 'region',
  'victim.city': 'city', startDate: 'start_date', endDate: 'end_date', discoveredDate: 'discovered_date', disclosedDate: 'disclosed_date',
  impact: 'confidentiality/integrity/availability', tlp: 'tlp', threatActors: 'threat_actors', recordsAffected: 'records_affected',
};

/**
 * Imports rows in the CSV layout. A row whose external_id or reference is known
 * updates that incident (or is skipped when unchanged); a new row keeps its reference
 * when it is free. Every bad row is reported with its row number and columns. The
 * `'` an export put before a formula-like cell is taken off again.
 */
export async function importCsv(ledger: Ledger, text: string, options: { alerts?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<CsvImportSummary> {
  const summary: CsvImportSummary = { imported: 0, updated: 0, skipped: 0, invalid: [], nearMatches: [] };
  let rows: Row[];
  try {
    rows = parse<Row>(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false })
      .map((row) => Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, fromSpreadsheetSafe(cell)])) as Row);
  } catch (error) {
    summary.invalid.push({ file: 'file', reason: (error as Error).message });
    return summary;
  }
  const missing = CSV_COLUMNS.filter((c) => rows.length > 0 && !(c in rows[0]!) && !['reference', 'external_id', 'description', 'vector', 'tlp'].includes(c));
  if (missing.length > 0) {
    summary.invalid.push({ file: 'header', reason: `missing columns: ${missing.join(', ')}` });
    return summary;
  }
  for (const [n, row] of rows.entries()) {
    const where = `row ${n + 2}`;
    try {
      const submission = submissionOf(row);
      const hash = createHash('sha256').update(JSON.stringify(row)).digest('hex');
      const externalId = row.external_id?.trim() || undefined;
      const reference = row.reference?.trim().toUpperCase() || undefined;
      const existing = await ledger.db.selectFrom('incidents').select(['id', 'source_hash'])
        .where((eb) => eb.or([
          ...(externalId ? [eb('external_id', '=', externalId)] : []),
          ...(reference ? [eb('reference', '=', reference)] : []),
          eb.val(false),
        ]))
        .executeTakeFirst();
      if (existing && existing.source_hash === hash) {
        summary.skipped += 1;
      } else if (existing) {
        await reviseFromSource(ledger.db, existing.id, submission, hash, { platform: 'import', workspace: null, userId: null, name: IMPORTER.user });
        summary.updated += 1;
      } else {
        const { nearMatch } = await recordImported(ledger, submission, IMPORTER, { alerts: options.alerts, externalId, reference, sourceHash: hash });
        if (nearMatch) summary.nearMatches.push({ file: where, ...nearMatch });
        summary.imported += 1;
      }
    } catch (error) {
      const reason = error instanceof ValidationError
        ? error.fieldErrors.map((e) => `${COLUMN_OF[e.field] ?? COLUMN_OF[e.field.split('.')[0]!] ?? e.field.split('.')[0]}: ${e.message}`).join('; ')
        : error instanceof Error ? error.message : String(error);
      summary.invalid.push({ file: where, reason });
    }
    options.onProgress?.(n + 1, rows.length);
  }
  return summary;
}

function submissionOf(row: Row): IncidentSubmissionInput {
  const text = (c: Column) => row[c]?.trim() || undefined;
  const list = (c: Column, separator: RegExp) => (row[c] ?? '').split(separator).map((s) => s.trim()).filter(Boolean);
  const flag = (c: Column) => /^(true|yes|1|x)$/i.test(row[c]?.trim() ?? '');
  return {
    victim: { name: row.victim ?? '', kind: text('victim_kind'), sector: text('victim_sector'), country: text('country'), region: text('region'), city: text('city') },
    startDate: row.start_date ?? '',
    endDate: text('end_date'), discoveredDate: text('discovered_date'), disclosedDate: text('disclosed_date'),
    title: text('title'), summary: row.summary ?? '', description: text('description'), vendor: text('vendor'), vector: text('vector'),
    impact: (['confidentiality', 'integrity', 'availability'] as const).filter((c) => flag(c)),
    motives: list('motives', /;/) as never, techniques: list('techniques', /;/), threatActors: list('threat_actors', /;/),
    recordsAffected: text('records_affected'), sources: list('sources', /\s+/), tlp: text('tlp'),
  };
}
