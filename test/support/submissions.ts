import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import type { Reporter } from '../../src/incidents/report.js';

export const analyst: Reporter = { platform: 'cli', workspace: null, user: 'test-analyst' };

/** The City of Odessa, Texas, as a report form would give it. */
export const odessaTexas = { name: 'City of Odessa', country: 'US', region: 'TX', city: 'Odessa', kind: 'city' } as const;

/** A valid submission; override what the test is about. */
export function submission(overrides: Partial<IncidentSubmissionInput> = {}): IncidentSubmissionInput {
  return {
    victim: { ...odessaTexas },
    startDate: '2020-04-15',
    summary: 'Card data of one-time utility payments skimmed from the Click2Gov portal.',
    vendor: 'Click2Gov',
    impact: ['confidentiality'],
    motives: ['financial'],
    techniques: ['T1190'],
    sources: ['https://example.org/odessa-click2gov'],
    ...overrides,
  };
}

/** One event as a paper reports it: with the same dates, records and source, a second report joins the first. */
export function paperReport(victim: string, overrides: Partial<IncidentSubmissionInput> = {}): IncidentSubmissionInput {
  return {
    victim: { name: victim, country: 'US', region: 'TX', isNew: true },
    startDate: '2024-03-10',
    endDate: '2024-03-20',
    summary: 'Customer records copied from the billing portal.',
    recordsAffected: 48_213,
    sources: [`https://news.example.org/${victim.toLowerCase().replace(/\W+/g, '-')}`],
    ...overrides,
  };
}
