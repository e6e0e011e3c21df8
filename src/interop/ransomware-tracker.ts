import { createHash } from 'node:crypto';
import type { Ledger } from '../ledger.js';
import { COUNTRIES } from '../incidents/places.js';
import { LIMITS } from '../incidents/submission.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import type { ImportOptions, MappedRecord } from './import-summary.js';
import { clip, importFeedRecords, plainText, textField } from './feed-records.js';

// A ransomware leak-site tracker's list of posted victims, as ransomware.live serves it:
// its v2 API (`victim`, `group`, `discovered`, `attackdate`, `country`, `activity`,
// `domain`, `description`, `press`) and the older ransomwatch-style posts (`post_title`,
// `group_name`, `discovered`, `published`, `website`). A post is the group's claim: the
// victim, the group as threat actor, the post's date as the disclosure.

/** One leak-site post as a submission. */
export function mapRansomwarePost(record: Record<string, unknown>): MappedRecord {
  const victim = plainText(textField(record, 'victim', 'post_title'));
  if (!victim) throw new Error('no victim (victim or post_title)');
  const group = textField(record, 'group', 'group_name');
  if (!group) throw new Error('no group (group or group_name)');
  const posted = dayOf(textField(record, 'discovered', 'published'));
  if (!posted) throw new Error(`no date of the post (discovered "${textField(record, 'discovered', 'published')}")`);
  const attacked = dayOf(textField(record, 'attackdate'));
  const country = textField(record, 'country').toUpperCase();
  const sector = textField(record, 'activity');
  const account = plainText(textField(record, 'description'));
  const press = Array.isArray(record.press) ? record.press.flatMap((p) => (typeof p === 'string' ? [p] : p && typeof p === 'object' && typeof (p as { url?: unknown }).url === 'string' ? [(p as { url: string }).url] : [])) : [];
  const submission: IncidentSubmissionInput = {
    victim: { name: clip(victim, LIMITS.name), ...(COUNTRIES.has(country) ? { country } : {}), ...(sector && !/^not found$/i.test(sector) ? { sector: clip(sector, LIMITS.sector) } : {}) },
    summary: `Claimed by the ${group} ransomware group on its leak site on ${posted}.`,
    ...(account ? { description: clip(account, LIMITS.description) } : {}),
    // The attack's own date when the tracker has it; else the post's month: a claim
    // follows its attack by days or weeks, and the day is not known.
    startDate: attacked && attacked <= posted ? attacked : posted.slice(0, 7),
    disclosedDate: posted,
    threatActors: [clip(group, LIMITS.actor)],
    motives: ['financial'],
    sources: press.filter((u) => /^https?:\/\//i.test(u)).slice(0, LIMITS.sources),
  };
  const identity = [group.toLowerCase(), victim.toLowerCase(), posted].join('|');
  return { externalId: `ransomware:${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`, sourceHash: createHash('sha256').update(JSON.stringify(record)).digest('hex'), submission };
}

/** Imports a tracker's list of posted victims (a JSON list). */
export function importRansomwarePosts(ledger: Ledger, body: string, options: ImportOptions = {}) {
  return importFeedRecords(ledger, body, {
    kind: 'ransomware',
    reporter: { platform: 'import', workspace: null, user: 'ransomware-import' },
    map: mapRansomwarePost,
    nameOf: (r) => textField(r, 'victim', 'post_title'),
  }, options);
}

/** "2024-03-15", "2024-03-15 10:22:31.123456" or "2024-03-15T00:00:00Z" → 2024-03-15. */
function dayOf(text: string): string | null {
  const day = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text)?.[1];
  return day && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? day : null;
}
