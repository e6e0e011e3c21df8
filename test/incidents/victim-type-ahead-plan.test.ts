import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { suggestVictims } from '../../src/incidents/victim-incidents.js';
import { backends, freshDatabase } from '../support/databases.js';

// The server plans a named statement anew for its first five runs, then may keep one
// generic plan for every value (src/db/named-statements.ts). Type-ahead's `like $1` gave
// that plan no index range: at 100,000 incidents each keystroke read the whole name index.
describe.each(backends)('victim type-ahead under the one plan kept for every prefix (%s)', (backend) => {
  let database: LedgerDatabase;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    await sql`insert into victims (name, normalized_name, core_name, country)
      select 'Victim ' || g, 'victim ' || g, 'victim ' || g, 'US' from generate_series(1, 5000) g`.execute(database.db);
    await sql`insert into victim_aliases (victim_id, alias, normalized_alias)
      select id, 'Alias ' || id, 'alias ' || id from victims`.execute(database.db);
    // Each victim's one incident, CLEAR: what type-ahead may name.
    await sql`insert into incidents (reference, victim_id, started_on, started_precision, title, summary, reported_platform, reported_by)
      select 'INC-2020-' || lpad(id::text, 4, '0'), id, '2020-04-15', 'day', 'Breach', 'Card data skimmed.', 'cli', 'test' from victims`.execute(database.db);
    await sql`analyze victims, victim_aliases, incidents`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  /** The generic plan of the statement type-ahead sends for `typed`. */
  const genericPlan = async (typed: string): Promise<string> => {
    const sent: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: database.pool }), log: (e) => { if (e.level === 'query') sent.push(e.query); } });
    await suggestVictims(db, typed, 10);
    const statement = sent[0]!;
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    const client = await database.pool.connect();
    try {
      await client.query(`prepare type_ahead as ${statement.sql}`);
      await client.query('set plan_cache_mode = force_generic_plan');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (costs off) execute type_ahead(${statement.parameters.map(literal).join(', ')})`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.query('deallocate type_ahead');
      await client.query('reset plan_cache_mode');
      client.release();
    }
  };

  it('GIVEN a name typed THEN the names and the aliases are each read from where the prefix starts, not filtered one by one', async () => {
    const plan = await genericPlan('Victim 12');
    expect(plan).toMatch(/Index Cond: .*normalized_name.*>=/);
    expect(plan).toMatch(/Index Cond: .*normalized_alias.*>=/);
    expect(plan).not.toMatch(/~~/);
  });

  it('GIVEN "Victim 12" typed THEN the names starting so come, shortest first, and no other', async () => {
    const names = (await suggestVictims(database.db, 'Victim 12', 10)).map((v) => v.name);
    expect(names[0]).toBe('Victim 12');
    expect(names).toHaveLength(10);
    expect(names.every((n) => n.startsWith('Victim 12'))).toBe(true);
  });

  it('GIVEN "City of V" typed THEN the core names are read from where "v" starts', async () => {
    expect(await genericPlan('City of V')).toMatch(/Index Cond: .*core_name.*>=/);
  });
});
