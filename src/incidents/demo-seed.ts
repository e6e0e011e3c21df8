import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { reportIncident } from './report.js';
import type { Reporter } from './report.js';

const DEMO_FILE = new URL('../../reference/demo-incidents.json', import.meta.url);
const DEMO_REPORTER: Reporter = { platform: 'cli', workspace: null, user: 'breachdesk-demo' };

export interface DemoSeedOutcome {
  loaded: number;
  alreadyLoaded: boolean;
}

/**
 * Loads the demo incidents (public reporting on the Click2Gov breaches, the City of
 * Odessa among them, and a few others) through the ordinary report path. Loading
 * twice adds nothing.
 */
export async function seedDemo(db: Kysely<Database>, options: { windowDays: number }): Promise<DemoSeedOutcome> {
  const present = await db.selectFrom('incidents').select('id').where('reported_by', '=', DEMO_REPORTER.user).limit(1).executeTakeFirst();
  if (present) return { loaded: 0, alreadyLoaded: true };
  const { incidents } = JSON.parse(await readFile(DEMO_FILE, 'utf8')) as { incidents: unknown[] };
  for (const submission of incidents) await reportIncident(db, submission, DEMO_REPORTER, options);
  return { loaded: incidents.length, alreadyLoaded: false };
}

/** Whether the ledger holds nothing yet (the first start of a fresh embedded database). */
export async function ledgerIsEmpty(db: Kysely<Database>): Promise<boolean> {
  return !(await db.selectFrom('incidents').select('id').limit(1).executeTakeFirst());
}
