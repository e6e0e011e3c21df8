import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import { newestOutlines, outlineOf } from './incident-outlines.js';
import type { Incident, IncidentOutline, Victim } from './incident-view.js';
import { distinctiveWords, normalizeVictimName } from './victim-name.js';
import { victimVisibleTo } from './victim-visibility.js';
import { ANYONE, OPERATOR, seesEverything, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/** One victim with one page of its incidents, newest first. */
export async function victimIncidents(
  db: Kysely<Database>,
  victimId: number,
  page: { offset: number; limit: number },
  viewer: Viewer = OPERATOR,
): Promise<{ victim: Victim; incidents: Incident[]; total: number } | null> {
  const [victim] = await loadVictims(db, [victimId]);
  if (!victim) return null;
  const rows = await db.selectFrom('incidents').select('id').where('victim_id', '=', victimId).where(visibleTo(viewer))
    .orderBy('started_on', 'desc').orderBy('id', 'desc').offset(page.offset).limit(page.limit).execute();
  const { n } = await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('victim_id', '=', victimId).where(visibleTo(viewer)).executeTakeFirstOrThrow();
  // A victim whose every incident is hidden from this viewer is not shown at all: its name alone can be the secret.
  if (Number(n) === 0 && !seesEverything(viewer)) return null;
  return { victim, incidents: await loadIncidents(db, rows.map((r) => r.id)), total: Number(n) };
}

/**
 * The newest `limit` incidents of each victim named that this viewer may see, as
 * outlines (dates, vendor, techniques, actors — its reports' actors too), by victim id:
 * for timelines and their verdicts. One statement for a lookup's few victims, so that
 * a lookup holds one connection at a time and the work queue's places bound the pool.
 */
export async function victimOutlines(db: Kysely<Database>, victimIds: readonly number[], limit: number, viewer: Viewer = OPERATOR): Promise<Map<number, IncidentOutline[]>> {
  const byVictim = new Map<number, IncidentOutline[]>(victimIds.map((id) => [id, []]));
  if (victimIds.length === 0) return byVictim;
  // The same outlines a search's page brings (newestOutlines), for victims named by id.
  const rows = await db.selectFrom('victims as v')
    .select(['v.id', newestOutlines(sql.ref('v.id'), limit, viewer).as('outlines')])
    .where('v.id', 'in', [...new Set(victimIds)]).execute();
  for (const r of rows) byVictim.set(r.id, r.outlines.map(outlineOf));
  return byVictim;
}

// Near names compared for one type-ahead, at most, as the trigram index yields them.
const NEAR_NAMES = 300;

/**
 * Victims for type-ahead: names and aliases starting with what was typed so far
 * (shortest first), then, when those are fewer than asked for, names near it in the
 * words that tell names apart, closest first. Only victims with an incident anyone may
 * see (CLEAR or GREEN): a suggestion list must not spell out an AMBER or RED victim.
 * Both parts stop early (an index range, a cap), so a common prefix costs no more
 * than a rare one.
 */
export async function suggestVictims(db: Kysely<Database>, typed: string, limit = 10): Promise<Victim[]> {
  const { normalized: q, core, governmentWord } = normalizeVictimName(typed);
  if (q === '') {
    const recent = await db.selectFrom('victims').select('id').where(victimVisibleTo(ANYONE, sql.ref('victims.id')))
      .orderBy('id', 'desc').limit(limit).execute();
    return loadVictims(db, recent.map((r) => r.id));
  }
  // "city of od" is normalized "od city": its start is the core name's, "od".
  const [column, start] = governmentWord ? [sql.ref('core_name'), core] : [sql.ref('normalized_name'), q];
  const near = distinctiveWords(q).join(' ') || q;
  const rows = await sql<{ id: number }>`
    with starts as (
      (select id, length(normalized_name) as size from victims
        where ${startsWith(column, start)} and ${victimVisibleTo(ANYONE, sql.ref('victims.id'))}
        order by ${column} collate "C" limit ${limit})
      union all
      (select victim_id, length(normalized_alias) from victim_aliases
        where ${startsWith(sql.ref('normalized_alias'), q)} and ${victimVisibleTo(ANYONE, sql.ref('victim_aliases.victim_id'))}
        order by normalized_alias collate "C" limit ${limit})
    ),
    nearby as (
      (select id, word_similarity(${q}, normalized_name) as score from victims
        where ${near} <% normalized_name and (select count(*) from starts) < ${limit} limit ${NEAR_NAMES})
      union all
      (select victim_id, word_similarity(${q}, normalized_alias) from victim_aliases
        where ${near} <% normalized_alias and (select count(*) from starts) < ${limit} limit ${NEAR_NAMES})
    )
    select id from (
      select id, 2 - size / 1000.0 as score from starts
      union all
      select id, score from nearby where ${victimVisibleTo(ANYONE, sql.ref('nearby.id'))}
    ) as hits
    group by id
    order by max(score) desc, id
    limit ${limit}`.execute(db);
  return loadVictims(db, rows.rows.map((r) => r.id));
}

/**
 * SQL: `column` starts with `prefix`, as a range of its "C" index. The server plans
 * this statement once per connection and after five runs may keep one plan for every
 * prefix; `like $1` cannot give that plan an index range (the pattern is not known
 * when planning), and at 100,000 incidents it read the whole index: 10 ms a keystroke,
 * 0.6 with the range. No name holds U+10FFFF, the last character there is.
 */
function startsWith(column: RawBuilder<unknown>, prefix: string): RawBuilder<boolean> {
  return sql<boolean>`(${column} collate "C" >= ${prefix} and ${column} collate "C" < ${`${prefix}\u{10FFFF}`})`;
}
