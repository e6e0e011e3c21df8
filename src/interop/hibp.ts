import { createHash } from 'node:crypto';
import type { Ledger } from '../ledger.js';
import { LIMITS } from '../incidents/submission.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import type { ImportOptions } from './import-summary.js';
import type { MappedRecord } from './import-summary.js';
import { NotABreach, clip, importFeedRecords, plainText, textField } from './feed-records.js';

// Have I Been Pwned's public list of breaches (GET https://haveibeenpwned.com/api/v3/breaches,
// no key): one record a breach loaded into HIBP, PascalCase fields — Name (stable id),
// Title, Domain, BreachDate (the day it happened, often approximate), AddedDate (when
// HIBP loaded it), PwnCount (accounts), Description (HTML), DataClasses, and flags.

export const HIBP_BREACHES_URL = 'https://haveibeenpwned.com/api/v3/breaches';

/** One HIBP breach as a submission: the breached site or company is the victim. */
export function mapHibpBreach(record: Record<string, unknown>): MappedRecord {
  const name = textField(record, 'Name');
  if (!name) throw new Error('no Name');
  // Not a breach of the named victim: a list of addresses gathered for spam, a breach
  // HIBP believes invented, malware's loot of many sites.
  if (record.IsSpamList === true) throw new NotABreach('a spam list, not a breach of its victim');
  if (record.IsFabricated === true) throw new NotABreach('marked fabricated by Have I Been Pwned');
  if (record.IsMalware === true || record.IsStealerLog === true) throw new NotABreach('malware or stealer logs of many sites, not a breach of one victim');
  const title = textField(record, 'Title') || name;
  const domain = textField(record, 'Domain').toLowerCase();
  const breachDate = isoDate(textField(record, 'BreachDate'));
  if (!breachDate) throw new Error(`BreachDate "${textField(record, 'BreachDate')}" is not a date`);
  const added = isoDate(textField(record, 'AddedDate').slice(0, 10));
  const accounts = typeof record.PwnCount === 'number' && Number.isInteger(record.PwnCount) && record.PwnCount >= 0 ? record.PwnCount : null;
  const classes = Array.isArray(record.DataClasses) ? record.DataClasses.filter((c): c is string => typeof c === 'string') : [];
  const account = plainText(textField(record, 'Description'));
  const submission: IncidentSubmissionInput = {
    victim: { name: clip(title, LIMITS.name), ...(domain && domain !== title.toLowerCase() ? { aliases: [domain] } : {}) },
    summary: clip(`${accounts === null ? 'Accounts' : `${accounts.toLocaleString('en-US')} accounts`} exposed${classes.length > 0 ? `: ${classes.join(', ').toLowerCase()}` : ''} (Have I Been Pwned).`, LIMITS.summary),
    ...(account ? { description: clip(account, LIMITS.description) } : {}),
    startDate: breachDate,
    ...(added && added >= breachDate ? { disclosedDate: added } : {}),
    impact: ['confidentiality'],
    ...(accounts !== null ? { recordsAffected: accounts } : {}),
    sources: [`https://haveibeenpwned.com/Breach/${encodeURIComponent(name)}`],
  };
  return { externalId: `hibp:${name}`, sourceHash: createHash('sha256').update(JSON.stringify(record)).digest('hex'), submission };
}

/** Imports HIBP's list of breaches (the body of GET /api/v3/breaches). */
export function importHibp(ledger: Ledger, body: string, options: ImportOptions = {}) {
  return importFeedRecords(ledger, body, {
    kind: 'hibp',
    reporter: { platform: 'import', workspace: null, user: 'hibp-import' },
    map: mapHibpBreach,
    nameOf: (r) => textField(r, 'Name'),
  }, options);
}

function isoDate(text: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? text : null;
}
