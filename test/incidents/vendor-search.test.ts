import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { backends, freshDatabase } from '../support/databases.js';

// A lookup ranks at most a thousand incidents matching its words (search.ts). A vendor's
// name typed whole takes them from the vendor's own index, newest first; the text index
// adds the incidents that only mention it.

describe.each(backends)('a lookup of a vendor\'s name, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    // 1,005 victims of one vendor, one incident each, the later a victim the newer its
    // incident; every incident's text the same, so each ranks alike. One more victim's
    // incident only mentions the vendor, and another's names it in another case.
    await sql`
      with victim as (
        insert into victims (name, normalized_name, core_name, country)
        select 'Harbor Client ' || n, 'harbor client ' || n, 'harbor client ' || n, 'US' from generate_series(1, 1007) as n
        returning id)
      insert into incidents (reference, victim_id, started_on, started_precision, title, summary, vendor, reported_platform, reported_by)
      select 'INC-2001-' || lpad(n::text, 4, '0'), id, date '2001-01-01' + n::int, 'day', 'Card data skimmed',
             case when n = 1006 then 'Cards skimmed through a Quillon Pay plugin.' else 'Card data skimmed from the payment portal.' end,
             case when n = 1006 then null when n = 1007 then 'QUILLON PAY' else 'Quillon Pay' end, 'import', 'test'
        from (select id, row_number() over (order by id) as n from victim) as v`.execute(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN a vendor with more incidents than a lookup ranks THEN its name finds the victims of its newest incidents', async () => {
    const page = await ledger.search('Quillon Pay', { limit: 5 });
    // Ranked alike, victims come in id order: of the thousand newest (1007, then 1005 back
    // to 7), not of the oldest six.
    expect(page.hits.map((h) => h.victim.name)).toEqual(['Harbor Client 7', 'Harbor Client 8', 'Harbor Client 9', 'Harbor Client 10', 'Harbor Client 11']);
    expect(page.hits.every((h) => h.matchedBy === 'text' && h.incidents[0]!.vendor?.toLowerCase() === 'quillon pay')).toBe(true);
  });

  it('GIVEN fewer of the vendor\'s incidents than a lookup ranks THEN an incident that only mentions it is found too', async () => {
    await sql`update incidents set retracted_at = now() where vendor = 'Quillon Pay' and victim_id not in (select id from victims where name in ('Harbor Client 1', 'Harbor Client 2'))`.execute(database.db);
    const names = (await ledger.search('quillon pay', { limit: 10 })).hits.map((h) => h.victim.name).sort();
    expect(names).toEqual(['Harbor Client 1', 'Harbor Client 1006', 'Harbor Client 1007', 'Harbor Client 2']);
  });
});
