import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findRepeatVictims } from './repeat-breach.js';
import type { RepeatVictim } from './repeat-breach.js';
import { reportIncident } from './report.js';
import type { Reporter, ReportOutcome } from './report.js';
import { search } from './search.js';
import type { SearchOptions, SearchPage } from './search.js';
import { resolveVictim } from './victim-resolution.js';
import type { VictimResolution } from './victim-resolution.js';

/** The incident ledger's services, bound to one database and repeat window. */
export interface Ledger {
  readonly db: Kysely<Database>;
  readonly windowDays: number;
  search(query: string, options?: SearchOptions): Promise<SearchPage>;
  /** Validates and records an incident; see {@link reportIncident}. */
  report(input: unknown, reporter: Reporter): Promise<ReportOutcome>;
  repeats(options?: { windowDays?: number; limit?: number }): Promise<RepeatVictim[]>;
  resolveVictim(victim: { name: string; country?: string; region?: string; city?: string }): Promise<VictimResolution>;
}

export function createLedger(db: Kysely<Database>, options: { windowDays: number }): Ledger {
  const { windowDays } = options;
  return {
    db,
    windowDays,
    search: (query, searchOptions) => search(db, query, searchOptions),
    report: (input, reporter) => reportIncident(db, input, reporter, { windowDays }),
    repeats: (o = {}) => findRepeatVictims(db, { windowDays: o.windowDays ?? windowDays, limit: o.limit }),
    resolveVictim: (victim) => resolveVictim(db, victim),
  };
}
