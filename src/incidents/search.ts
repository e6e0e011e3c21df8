import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { normalizeVictimName } from './victim-name.js';
import { OPERATOR, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

export interface SearchHit {
  victim: Victim;
  /** Why this victim is here: its name, an incident's text, or a typed reference. */
  matchedBy: 'name' | 'text' | 'reference';
  /** Newest first; for a text match only the incidents that matched. */
  incidents: Incident[];
  /** How many incidents there are in all (for "Show all 7 incidents"). */
  totalIncidents: number;
}

export interface SearchPage {
  query: string;
  hits: SearchHit[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface SearchOptions {
  /** Victims per page (default 5, at most 50). */
  limit?: number;
  /** Incidents shown per victim (default 10). */
  incidentsPerVictim?: number;
  cursor?: string | null;
  /** Who is looking: only incidents they may see (TLP, retractions) are found, shown or counted. */
  viewer?: Viewer;
}

const REFERENCE = /^INC-\d{4}-\d{4,}$/i;
/** How many matching incidents a text search ranks victims by. */
const TEXT_MATCHES = 1000;

/**
 * Finds victims by name and alias similarity and incidents by their text (title,
 * summary, vendor), ranks them, and returns one page of victims with their incidents.
 *
 * @example
 *   await search(db, 'odessa')         // the City of Odessa with both Click2Gov incidents
 *   await search(db, 'click2gov')      // every victim with a Click2Gov incident
 *   await search(db, 'INC-2020-0007')  // that incident and its victim
 */
export async function search(db: Kysely<Database>, query: string, options: SearchOptions = {}): Promise<SearchPage> {
  const q = query.trim();
  const limit = Math.min(Math.max(options.limit ?? 5, 1), 50);
  const perVictim = Math.min(Math.max(options.incidentsPerVictim ?? 10, 1), 50);
  const offset = decodeCursor(options.cursor);
  const viewer = options.viewer ?? OPERATOR;
  const visible = (alias = 'incidents') => visibleTo(viewer, alias);
  if (q === '') return { query: q, hits: [], nextCursor: null };

  if (REFERENCE.test(q)) {
    const row = await db.selectFrom('incidents').select(['id', 'victim_id']).where('reference', '=', q.toUpperCase()).where(visible()).executeTakeFirst();
    if (!row) return { query: q, hits: [], nextCursor: null };
    const [victim] = await loadVictims(db, [row.victim_id]);
    const incidents = await loadIncidents(db, [row.id]);
    const total = await countIncidents(db, [row.victim_id], viewer);
    return { query: q, hits: [{ victim: victim!, matchedBy: 'reference', incidents, totalIncidents: total.get(row.victim_id) ?? 1 }], nextCursor: null };
  }

  const name = normalizeVictimName(q).normalized || q.toLowerCase();
  const prefix = prefixQuery(q);
  // One ranked list of victims: by name (word similarity over names and aliases) and
  // by incident text (full text, stemmed and as typed, and word prefixes).
  // A victim is found by name only when the viewer may see one of its incidents.
  const anyVisible = (victimId: RawBuilder<unknown>) => (viewer === OPERATOR ? sql`true`
    : sql`exists (select 1 from incidents v where v.victim_id = ${victimId} and ${visible('v')})`);
  const ranked = await sql<{ victim_id: number; score: number; by_name: boolean }>`
    with by_name as (
      select id as victim_id, word_similarity(${name}, normalized_name) as score
        from victims where ${name} <% normalized_name and ${anyVisible(sql.ref('victims.id'))}
      union all
      select victim_id, word_similarity(${name}, normalized_alias)
        from victim_aliases where ${name} <% normalized_alias and ${anyVisible(sql.ref('victim_aliases.victim_id'))}
    ),
    by_text as (
      select victim_id, max(rank) as score from (
        -- At most TEXT_MATCHES matches, as the index yields them: a common word
        -- ("ransomware") matches a tenth of the ledger, and ranking or ordering all of
        -- it costs more than any page needs (an ordered scan was 270 ms at 1M).
        select victim_id, ts_rank(search_text, ${textQuery(q, prefix)}) as rank
          from incidents
         where search_text @@ ${textQuery(q, prefix)} and ${visible()}
         limit ${TEXT_MATCHES}
      ) as matches
      group by victim_id
    ),
    scored as (
      select victim_id, max(score) as score, true as by_name from by_name group by victim_id
      union all
      select victim_id, least(score, 0.99), false from by_text
    )
    select s.victim_id, max(s.score) as score, bool_or(s.by_name) as by_name
      from scored s
     group by s.victim_id
     order by max(s.score) desc, s.victim_id
     limit ${limit + 1} offset ${offset}
  `.execute(db);

  const page = ranked.rows.slice(0, limit);
  if (page.length === 0) return { query: q, hits: [], nextCursor: null };
  const victims = await loadVictims(db, page.map((r) => r.victim_id));
  const nameIds = page.filter((r) => r.by_name).map((r) => r.victim_id);
  const textIds = page.filter((r) => !r.by_name).map((r) => r.victim_id);

  const incidentIds = await db
    .selectFrom('incidents')
    .select(['id', 'victim_id'])
    .where(visible())
    .where((eb) => eb.or([
      ...(nameIds.length ? [eb('victim_id', 'in', nameIds)] : []),
      ...(textIds.length ? [eb.and([eb('victim_id', 'in', textIds), sql<boolean>`search_text @@ ${textQuery(q, prefix)}`])] : []),
    ]))
    .orderBy('started_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const kept = new Map<number, number[]>();
  for (const { id, victim_id } of incidentIds) {
    const list = kept.get(victim_id) ?? [];
    if (list.length < perVictim) kept.set(victim_id, [...list, id]);
  }
  const incidents = await loadIncidents(db, [...kept.values()].flat());
  const totals = await countIncidents(db, victims.map((v) => v.id), viewer);

  return {
    query: q,
    // A victim whose incidents were all retracted is no longer a victim to show.
    hits: victims.filter((victim) => (totals.get(victim.id) ?? 0) > 0).map((victim) => ({
      victim,
      matchedBy: nameIds.includes(victim.id) ? 'name' : 'text',
      incidents: incidents.filter((i) => i.victimId === victim.id),
      totalIncidents: totals.get(victim.id) ?? 0,
    })),
    nextCursor: ranked.rows.length > limit ? encodeCursor(offset + limit) : null,
  };
}

async function countIncidents(db: Kysely<Database>, victimIds: number[], viewer: Viewer): Promise<Map<number, number>> {
  if (victimIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('incidents')
    .select(['victim_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('victim_id', 'in', victimIds)
    .where(visibleTo(viewer))
    .groupBy('victim_id')
    .execute();
  return new Map(rows.map((r) => [r.victim_id, Number(r.n)]));
}

// Every word as a prefix of a word as written ("click2" finds Click2Gov, "ransom"
// finds ransomware): one tsquery, which the planner can estimate and the GIN index serves.
function textQuery(q: string, prefix: string | null) {
  return prefix ? sql`to_tsquery('simple', ${prefix})` : sql`websearch_to_tsquery('simple', ${q})`;
}

function prefixQuery(q: string): string | null {
  const words = q.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  const usable = words.filter((w) => w.length >= 3).slice(0, 8);
  return usable.length > 0 ? usable.map((w) => `${w}:*`).join(' & ') : null;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: unknown };
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 && o <= 10_000 ? o : 0;
  } catch {
    return 0;
  }
}
