import type { FeedKind } from '../../db/schema.js';
import type { Ledger } from '../../ledger.js';
import { importHhs } from '../hhs-import.js';
import { importHibp } from '../hibp.js';
import type { ImportOptions, ImportSummary } from '../import-summary.js';
import { importRansomwarePosts } from '../ransomware-tracker.js';

/** What each kind of feed is, and how its body is imported. */
export const FEED_SOURCES: Record<FeedKind, { label: string; example: string; importBody: (ledger: Ledger, body: string, options: ImportOptions) => Promise<ImportSummary> }> = {
  hhs: { label: 'HHS OCR breach portal (CSV)', example: 'https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf', importBody: (ledger, body, o) => importHhs(ledger, body, { ...o, file: 'hhs' }) },
  hibp: { label: 'Have I Been Pwned breaches (JSON)', example: 'https://haveibeenpwned.com/api/v3/breaches', importBody: importHibp },
  ransomware: { label: 'ransomware leak-site tracker (JSON)', example: 'https://api.ransomware.live/v2/recentvictims', importBody: importRansomwarePosts },
};
