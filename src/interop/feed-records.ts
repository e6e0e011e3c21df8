import { UserError } from '../errors.js';
import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { importRecords } from './import-records.js';
import type { SourceRecord } from './import-records.js';
import { emptySummary, reasonOf } from './import-summary.js';
import type { ImportOptions, ImportSummary, MappedRecord } from './import-summary.js';

/** A source's record that names no breach of a victim (a spam list, a fabricated breach): left out, with why. */
export class NotABreach extends Error {}

/**
 * Imports a JSON feed that is a list of records (Have I Been Pwned's breaches, a
 * ransomware tracker's posts): each mapped by `map` and recorded through the one
 * submission path. A record that cannot be mapped is reported by its place in the list
 * and name; a body that is not a JSON list throws before anything is written.
 */
export async function importFeedRecords(
  ledger: Ledger,
  body: string,
  source: { kind: string; reporter: Reporter; map: (record: Record<string, unknown>) => MappedRecord; nameOf: (record: Record<string, unknown>) => string },
  options: ImportOptions = {},
): Promise<ImportSummary & { left: { record: string; reason: string }[] }> {
  let records: unknown;
  try {
    records = JSON.parse(body);
  } catch (error) {
    throw new FeedFormatError(`${source.kind}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(records)) throw new FeedFormatError(`${source.kind}: expected a JSON list of records, got ${records === null ? 'null' : typeof records}`);
  const summary = { ...emptySummary(), left: [] as { record: string; reason: string }[] };
  const entries = records.map((record: unknown, n): SourceRecord => {
    const where = `${source.kind}[${n}]`;
    const isRecord = !!record && typeof record === 'object' && !Array.isArray(record);
    return {
      where: isRecord ? `${where} ${source.nameOf(record as Record<string, unknown>)}`.trim() : where,
      read: () => {
        if (!isRecord) throw new Error('not a record (an object)');
        return source.map(record as Record<string, unknown>);
      },
    };
  });
  return importRecords(ledger, entries, source.reporter, summary, options, (where, error) => {
    if (error instanceof NotABreach) summary.left.push({ record: where, reason: error.message });
    else summary.invalid.push({ file: where, reason: reasonOf(error) });
  });
}

/** The body is not the source's format: a JSON list of records (nothing of it is imported). */
export class FeedFormatError extends UserError {
  constructor(message: string) {
    super(message, 'not_the_format');
  }
}

/** A record's text field, trimmed; anything else is absent. */
export const textField = (record: Record<string, unknown>, ...names: string[]): string => {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return '';
};

/** HTML a source writes its accounts in, as plain text: tags dropped, the common entities read. */
export function plainText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text cut to `max` characters at a word, marked as cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
