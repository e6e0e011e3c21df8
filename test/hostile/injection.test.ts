import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionOf, watchesOf } from '../../src/alerts/subscriptions.js';
import type { ChannelRef } from '../../src/identity.js';
import { ValidationError } from '../../src/errors.js';
import { victimIdentity } from '../../src/incidents/victim-resolution.js';
import { backends } from '../support/databases.js';
import { chatHarness, person, textOf } from '../support/chat.js';
import { analyst } from '../support/submissions.js';

/** The classic ways to break out of a string literal, a LIKE pattern, a dollar quote or a tsquery. */
const INJECTIONS = [
  "'; drop table incidents; --",
  "' or '1'='1",
  "' or 1=1 --",
  "\\'; drop table victims; --",
  "\\",
  "''",
  '"; drop table "victims"; --',
  '$$; drop table incidents; $$',
  '$1',
  '%_%',
  '%',
  '_',
  "E'\\x27'",
  "'); delete from incidents where ('1'='1",
  '/* */ union select * from pg_user --',
  '::text; select pg_sleep(5);',
  "x' & 'y' | !'z' <-> 'w':*",
  'Robert\'); DROP TABLE Students;--',
];

const room: ChannelRef = { platform: 'slack', workspace: 'T1', channelId: 'C-INJECT' };

describe.each(backends)('SQL injection on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeAll(async () => {
    chat = await chatHarness(backend);
  });
  afterAll(() => chat.close());

  async function tables() {
    const rows = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(chat.ledger.db);
    const counts: Record<string, number> = {};
    for (const { table_name } of rows.rows) {
      const { rows: [row] } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}`.execute(chat.ledger.db);
      counts[table_name] = Number(row!.n);
    }
    return counts;
  }

  it('GIVEN injection strings in every text field of a submission, as search queries, victim names and aliases, watch targets and alert filters THEN each is stored and returned as text, and every table is intact', async () => {
    const before = await tables();
    expect(before.incidents).toBeGreaterThan(0);
    for (const [n, evil] of INJECTIONS.entries()) {
      const name = `${evil} victim ${n}`;
      const input = {
        victim: { name, sector: evil, region: evil, city: evil, aliases: [`${evil} alias ${n}`], isNew: true },
        title: `${evil} title`, summary: `${evil} summary`, description: evil, vendor: `${evil} vendor`, vector: evil,
        startDate: '2020-04', threatActors: [`${evil} actor ${n}`],
        sources: [`https://example.org/${encodeURIComponent(evil)}?q=${evil.replace(/\s/g, '+')}`],
      };
      const outcome = await chat.ledger.report(input, analyst);
      const back = await chat.ledger.victim(outcome.victim.id);
      expect(back?.victim).toMatchObject({ name: victimIdentity({ name }).name, sector: evil, city: evil });
      expect(back?.incidents[0]).toMatchObject({
        title: `${evil} title`, summary: `${evil} summary`, description: evil, vendor: `${evil} vendor`, vector: evil,
        threatActors: [`${evil} actor ${n}`], sources: input.sources,
      });
      const aliases = await chat.ledger.db.selectFrom('victim_aliases').select('alias').where('victim_id', '=', outcome.victim.id).execute();
      expect(aliases.map((a) => a.alias)).toEqual([`${evil} alias ${n}`]);

      // Searching for it finds it, through the ledger and through the command.
      const page = await chat.ledger.search(name);
      expect(page.hits.map((h) => h.victim.id)).toContain(outcome.victim.id);
      for (const query of [evil, `${evil} alias ${n}`, `find ${evil}`]) {
        expect(textOf(await chat.say(query))).not.toMatch(/Something went wrong/);
      }

      // Watch targets and alert filters are stored as typed.
      for (const kind of ['vendor', 'sector', 'region', 'actor'] as const) {
        expect(textOf(await chat.say(`watch ${kind} ${evil}`, person, room))).toMatch(/now watches|already watches/);
      }
      expect(textOf(await chat.say(`watch ${name}`, person, room))).toMatch(/now watches|already watches|Which/);
      const watches = await watchesOf(chat.ledger.db, room);
      expect(watches.filter((w) => w.kind === 'vendor').map((w) => w.label)).toContain(evil.trim());
      expect(textOf(await chat.say(`unwatch vendor ${evil}`, person, room))).not.toMatch(/Something went wrong/);
      expect((await watchesOf(chat.ledger.db, room)).filter((w) => w.kind === 'vendor').map((w) => w.label)).not.toContain(evil.trim());
      const quoted = evil.replace(/"/g, '');
      expect(textOf(await chat.say(`alerts on sector:"${quoted}"`, person, room))).not.toMatch(/Something went wrong/);
      expect((await subscriptionOf(chat.ledger.db, room))?.sector).toBe(quoted);
    }
    expect(chat.logged).toEqual([]);

    // Every table is still there, nothing was deleted, and only what was reported was added.
    const after = await tables();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toBeGreaterThanOrEqual(before[table]!);
    expect(after.incidents).toBe(before.incidents! + INJECTIONS.length);
    expect(after.victims).toBe(before.victims! + INJECTIONS.length);
  });

  it('GIVEN a NUL byte in any text field THEN the submission is refused naming that field, and nothing is stored', async () => {
    const before = await tables();
    const fields: [string, object][] = [
      ['victim.name', { victim: { name: 'Nul\u0000 victim' } }],
      ['victim.city', { victim: { name: 'Nul victim', city: 'a\u0000b' } }],
      ['summary', { summary: 'nul\u0000summary' }],
      ['vendor', { vendor: 'nul\u0000' }],
      ['threatActors.0', { threatActors: ['nul\u0000actor'] }],
      ['sources.0', { sources: ['https://example.org/\u0000'] }],
    ];
    for (const [field, override] of fields) {
      const input = { victim: { name: 'Nul victim' }, summary: 'Nul test', startDate: '2020', ...override };
      const error = await chat.ledger.report(input, analyst).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors.map((e) => e.field)).toContain(field);
    }
    expect(textOf(await chat.say('odessa\u0000'))).toMatch(/City of Odessa/);
    expect(await tables()).toEqual(before);
    expect(chat.logged).toEqual([]);
  });
});
