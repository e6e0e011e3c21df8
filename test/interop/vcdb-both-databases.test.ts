import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createLedger } from '../../src/ledger.js';
import { importVeris } from '../../src/interop/veris-import.js';
import { freshDatabase, scratchPostgresDatabase } from '../support/databases.js';
import { startPrivatePostgres } from '../support/private-postgres.js';
import type { PrivatePostgres } from '../support/private-postgres.js';

// One set of queries serves embedded PGlite and PostgreSQL; the repeat figures people
// quote (README, docs/import-export.md) hold on both only if the two ledgers built from
// the same records agree victim by victim. This imports the same real VCDB records into
// both and compares them whole. PostgreSQL is TEST_DATABASE_URL's server when set, else
// a private server of this test's own, so the comparison never silently skips.
const RECORDS = ['../fixtures/vcdb-labelled/incidents', '../fixtures/vcdb'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
const WINDOW_DAYS = 365;

interface Imported {
  summary: Awaited<ReturnType<typeof importVeris>>;
  database: LedgerDatabase;
}

async function importInto(database: LedgerDatabase): Promise<Imported> {
  const ledger = createLedger(database.db, { windowDays: WINDOW_DAYS });
  return { summary: await importVeris(ledger, RECORDS), database };
}

/** Every victim as the ledger holds it, with its incidents and the reports joined to them; no ids or clock times. */
async function victimsOf(db: Kysely<Database>) {
  const victims = await db.selectFrom('victims')
    .select(['id', 'name', 'normalized_name', 'core_name', 'kind', 'sector', 'country', 'region', 'city', 'unattributed', 'national', 'initials']).execute();
  const aliases = await db.selectFrom('victim_aliases').select(['victim_id', 'alias']).execute();
  const rows = await db.selectFrom('incidents')
    .select(['id', 'victim_id', 'reference', 'external_id', 'merged_into', 'started_on', 'started_precision', 'title', 'vendor', 'records_affected', 'tlp'])
    .where('retracted_at', 'is', null).orderBy('reference').execute();
  const described = victims.map(({ id, ...victim }) => {
    const own = rows.filter((r) => r.victim_id === id);
    const incidents = own.filter((r) => r.merged_into === null).map(({ id: incidentId, victim_id: _v, merged_into: _m, ...incident }) => ({
      ...incident,
      reports: own.filter((r) => r.merged_into === incidentId).map((r) => r.external_id ?? r.reference),
    }));
    return { ...victim, aliases: aliases.filter((a) => a.victim_id === id).map((a) => a.alias).sort(), incidents, joined: own.length - incidents.length };
  });
  // Placeholder victims share a name ("Unknown"): their first incident tells them apart.
  const key = (v: (typeof described)[number]) => `${v.name}\u0000${v.country ?? ''}\u0000${v.region ?? ''}\u0000${v.incidents[0]?.reference ?? ''}`;
  return described.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `breachdesk repeats` as data: who is a repeat victim, how certainly, through which incidents. */
async function repeatsOf(db: Kysely<Database>) {
  const listed = await createLedger(db, { windowDays: WINDOW_DAYS }).repeats({ limit: 100_000 });
  return listed.map((r) => ({ victim: r.victim.name, certainty: r.certainty, incidents: r.incidents.map((i) => i.reference) }));
}

describe('the same VCDB records imported into embedded PGlite and into PostgreSQL', () => {
  let pglite: Imported;
  let postgres: Imported;
  let server: PrivatePostgres | undefined;
  let dropScratch: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let url: string;
    if (process.env.TEST_DATABASE_URL) {
      const scratch = await scratchPostgresDatabase();
      url = scratch.url;
      dropScratch = scratch.drop;
    } else {
      server = await startPrivatePostgres();
      url = server.url;
    }
    const onServer = await openDatabase({ kind: 'postgres', url });
    await migrateToLatest(onServer.db);
    // One after the other: the order of the records is the same, and so must be what each ledger decides.
    pglite = await importInto(await freshDatabase('pglite'));
    postgres = await importInto(onServer);
  }, 240_000);
  afterAll(async () => {
    await pglite?.database.close();
    await postgres?.database.close();
    await dropScratch?.();
    await server?.destroy();
  });

  it('GIVEN the import summaries THEN both read every record alike: imported, joined, unattributed, near matches', () => {
    const shape = (s: Imported['summary']) => ({ ...s, invalid: s.invalid.map((i) => i.file) });
    // 51 files; one is in both folders, so the second copy is skipped as unchanged.
    expect([pglite.summary.imported, pglite.summary.skipped]).toEqual([50, 1]);
    expect(pglite.summary.invalid).toEqual([]);
    expect(shape(postgres.summary)).toEqual(shape(pglite.summary));
  });

  it('GIVEN the two ledgers THEN victim by victim the same: names, places, aliases, incidents and the reports joined to them', async () => {
    const [onPglite, onPostgres] = await Promise.all([victimsOf(pglite.database.db), victimsOf(postgres.database.db)]);
    expect(onPglite.length).toBeGreaterThan(20);
    expect(onPglite.some((v) => v.joined > 0)).toBe(true);
    expect(onPostgres.map((v) => v.name)).toEqual(onPglite.map((v) => v.name));
    for (const [n, victim] of onPglite.entries()) expect(onPostgres[n], victim.name).toEqual(victim);
  });

  it('GIVEN breachdesk repeats on each THEN the same repeat victims, certainty and incidents, in the same order', async () => {
    const [onPglite, onPostgres] = await Promise.all([repeatsOf(pglite.database.db), repeatsOf(postgres.database.db)]);
    expect(onPglite.filter((r) => r.certainty === 'certain').length).toBeGreaterThan(0);
    expect(onPostgres).toEqual(onPglite);
  });
});
