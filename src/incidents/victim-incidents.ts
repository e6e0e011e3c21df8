import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { normalizeVictimName } from './victim-name.js';
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
 * Victims for type-ahead: names and aliases starting with, or close to, what was
 * typed so far, the closest first. Only victims with an incident anyone may see
 * (CLEAR or GREEN): a suggestion list must not spell out an AMBER or RED victim.
 */
export async function suggestVictims(db: Kysely<Database>, typed: string, limit = 10): Promise<Victim[]> {
  const q = normalizeVictimName(typed).normalized;
  if (q === '') {
    const recent = await db.selectFrom('victims').select('id').where((eb) => eb.exists(
      eb.selectFrom('incidents as v').select('v.id').whereRef('v.victim_id', '=', 'victims.id').where(visibleTo(ANYONE, 'v')),
    )).orderBy('id', 'desc').limit(limit).execute();
    return loadVictims(db, recent.map((r) => r.id));
  }
  const rows = await sql<{ id: number }>`
    select id from (
      select id, word_similarity(${q}, normalized_name) as score, normalized_name like ${`${likeEscape(q)}%`} as prefix
        from victims where normalized_name like ${`${likeEscape(q)}%`} or ${q} <% normalized_name
      union all
      select victim_id, word_similarity(${q}, normalized_alias), normalized_alias like ${`${likeEscape(q)}%`}
        from victim_aliases where normalized_alias like ${`${likeEscape(q)}%`} or ${q} <% normalized_alias
    ) as hits
    where exists (select 1 from incidents v where v.victim_id = hits.id and ${visibleTo(ANYONE, 'v')})
    group by id
    order by bool_or(prefix) desc, max(score) desc, id
    limit ${limit}`.execute(db);
  return loadVictims(db, rows.rows.map((r) => r.id));
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
