import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { LIMITS } from '../incidents/submission.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import { UserError } from '../errors.js';
import { clip } from './feed-records.js';
import type { MappedRecord } from './import-summary.js';

// The U.S. HHS Office for Civil Rights breach portal ("the wall of shame"): breaches of
// health information affecting 500 or more people. It has been published in two
// layouts. The older (to mid-2014) gives the breach's own date or range and the
// business associate's name; the portal's export since gives only the date the covered
// entity submitted the report. Column names come spelled as the portal writes them
// ("Name of Covered Entity"), with dots or underscores (re-packaged copies), in any case.

/** Where every record of the portal points: the register, which event-evidence.ts knows dates a report by its filing. */
export const HHS_PORTAL = 'https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf';

export type HhsLayout = 'breach-dates' | 'submission-dates';

/** The file is not one of the portal's layouts (nothing of it is imported). */
export class HhsFormatError extends UserError {
  constructor(message: string) {
    super(message, 'not_the_format');
  }
}

/** A column's name as one spelling: lower case, words apart ("Name.of.Covered.Entity" → "name of covered entity"). */
const column = (header: string) => header.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

const NEEDED: Record<HhsLayout, string[]> = {
  'breach-dates': ['name of covered entity', 'state', 'individuals affected', 'date of breach', 'type of breach', 'location of breached information'],
  'submission-dates': ['name of covered entity', 'state', 'individuals affected', 'breach submission date', 'type of breach', 'location of breached information'],
};

/**
 * The rows of a portal CSV, each mapped to a submission, or the reason it cannot be.
 * Throws HhsFormatError when the file is not one of the portal's layouts.
 */
export function readHhs(text: string): { layout: HhsLayout; rows: ({ row: number } & ({ mapped: MappedRecord } | { problem: string }))[] } {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, { columns: (headers: string[]) => headers.map(column), skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (error) {
    throw new HhsFormatError(`not a CSV file: ${(error as Error).message}`);
  }
  const columns = new Set(Object.keys(records[0] ?? {}));
  const layout = (Object.keys(NEEDED) as HhsLayout[]).find((l) => NEEDED[l].every((c) => columns.has(c)));
  if (!layout) {
    const nearest = columns.has('date of breach') ? NEEDED['breach-dates'] : NEEDED['submission-dates'];
    throw new HhsFormatError(`not an HHS breach portal file: missing columns ${nearest.filter((c) => !columns.has(c)).join(', ') || '(no rows)'}`);
  }
  // Two rows alike in name, state and date are two filings (Riderwood's two counts of one
  // theft, a vendor filing for each client the same day): the second is "#2" of that key.
  const seen = new Map<string, number>();
  return {
    layout,
    rows: records.map((record, i) => {
      const row = i + 1;
      try {
        const mapped = mapHhsRow(record, layout);
        const n = (seen.get(mapped.externalId) ?? 0) + 1;
        seen.set(mapped.externalId, n);
        return { row, mapped: n === 1 ? mapped : { ...mapped, externalId: `${mapped.externalId}#${n}` } };
      } catch (error) {
        return { row, problem: (error as Error).message };
      }
    }),
  };
}

/** One portal row as a submission: the covered entity is the victim, the business associate the vendor. */
export function mapHhsRow(record: Record<string, string>, layout: HhsLayout): MappedRecord {
  // The portal's text carries stray control characters (a \x1a where a quote was): spaces here.
  const cell = (name: string) => {
    const value = (record[name] ?? '').replace(/\p{Cc}/gu, ' ').replace(/ {2,}/g, ' ').trim();
    // R's copies write a missing value as \N or NA.
    return value === '\\N' || value === 'NA' ? '' : value;
  };
  const entity = cell('name of covered entity');
  if (!entity) throw new Error('no Name of Covered Entity');
  const state = cell('state').toUpperCase();
  const type = cell('type of breach');
  const location = cell('location of breached information');
  const affected = cell('individuals affected').replace(/[,\s]/g, '');
  const account = cell('web description') || cell('summary');
  // A business associate that files itself, for each client it lost data of, is the
  // vendor whose breach it was (StayWell, filing for five health plans).
  const vendor = cell('business associate involved') || (/^business associate$/i.test(cell('covered entity type')) ? entity : '');

  let dates: Pick<IncidentSubmissionInput, 'startDate' | 'endDate' | 'disclosedDate'>;
  if (layout === 'breach-dates') {
    const [start, end] = breachDates(cell('date of breach'));
    dates = { startDate: start, ...(end && end > start ? { endDate: end } : {}) };
  } else {
    // Only the day the report was filed, a median two months after the breach: the
    // start is known to the month at best, and the filing is its disclosure.
    const submitted = portalDate(cell('breach submission date'));
    if (!submitted) throw new Error(`Breach Submission Date "${cell('breach submission date')}" is not a date`);
    dates = { startDate: submitted.slice(0, 7), disclosedDate: submitted };
  }

  const people = /^\d+$/.test(affected) ? Number(affected) : null;
  const what = [type || 'Breach', location ? `(${location})` : ''].filter(Boolean).join(' ');
  const submission: IncidentSubmissionInput = {
    victim: { name: entity, country: 'US', ...(/^[A-Z]{2}$/.test(state) ? { region: state } : {}), sector: sectorOf(cell('covered entity type')) },
    summary: `${what}: the health information of ${people === null ? 'an unknown number of' : people.toLocaleString('en-US')} people${vendor ? `, at business associate ${vendor}` : ''}.`,
    ...(account ? { description: clip(account, LIMITS.description) } : {}),
    ...dates,
    ...(vendor ? { vendor: clip(vendor, LIMITS.vendor) } : {}),
    ...(type || location ? { vector: clip(vectorOf(type, location), LIMITS.vector) } : {}),
    impact: ['confidentiality'],
    ...(people !== null ? { recordsAffected: people } : {}),
    sources: [HHS_PORTAL],
  };
  // The row is the record: the same row in a later download is the same record, a corrected count a changed one.
  const identity = [layout, entity.toLowerCase(), state, cell('date of breach') || cell('breach submission date')].join('|');
  return {
    externalId: `hhs:${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`,
    sourceHash: createHash('sha256').update(JSON.stringify(record)).digest('hex'),
    submission,
  };
}

/** "10/16/2009", "07/01/2008 - 11/30/2011", "2/1/2010, 2/3/2010": the first and last dates named. */
function breachDates(text: string): [string, string | null] {
  const dates = text.split(/\s*(?:-|,|\bto\b)\s*/).map(portalDate).filter((d): d is string => d !== null);
  if (dates.length === 0) throw new Error(`Date of Breach "${text}" is not a date`);
  return [dates[0]!, dates.length > 1 ? dates[dates.length - 1]! : null];
}

/** The portal's MM/DD/YYYY, or the ISO date of a re-packaged copy, as YYYY-MM-DD. */
function portalDate(text: string): string | null {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const [y, m, d] = us ? [us[3]!, us[1]!, us[2]!] : iso ? [iso[1]!, iso[2]!, iso[3]!] : [];
  if (!y) return null;
  const date = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date ? null : date;
}

function sectorOf(type: string): string {
  if (/health plan/i.test(type)) return 'Health insurance';
  if (/clearing/i.test(type)) return 'Healthcare clearinghouse';
  return 'Healthcare';
}

/**
 * Type and location of breach as a vector of parts "location: type" (event-evidence.ts
 * reads "category: variety; …"): "Paper: theft; Paper: loss". The location is the
 * category because the portal re-codes a breach's type between its layouts (a loss
 * later filed as a theft) far more often than what held the data, and it renamed
 * "Paper" to "Paper/Films" and "E-mail" to "Email"; lists come in either order.
 */
function vectorOf(type: string, location: string): string {
  const list = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))].sort();
  const places = list(location.replace(/paper\/films/gi, 'Paper').replace(/e-mail/gi, 'Email'));
  const types = list(type);
  return (places.length > 0 ? places : ['Unknown location']).flatMap((p) => (types.length > 0 ? types : ['Breach']).map((t) => `${p}: ${t}`)).join('; ');
}
