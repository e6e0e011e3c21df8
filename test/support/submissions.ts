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
