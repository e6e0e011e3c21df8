import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { referencedIncidentId } from './incident-reference.js';
import { newestOutlines, outlineOf } from './incident-outlines.js';
import type { OutlineRow } from './incident-outlines.js';
import { selectIncidents, toIncident } from './incident-view.js';
import type { Incident, IncidentOutline, Victim } from './incident-view.js';
import { distinctiveWords, normalizeVictimName } from './victim-name.js';
import { victimVisibleTo } from './victim-visibility.js';
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
  /** The newest incidents as outlines, for a timeline: when asked for (`SearchOptions.outlines`). */
  outlines?: IncidentOutline[];
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
  /**
   * Also each victim's newest this many incidents as outlines (`SearchHit.outlines`),
   * for its timeline, in the page's own statement (none by default).
   */
  outlines?: number;
}

const REFERENCE = /^INC-\d{4}-\d{4,}$/i;
/** How many matching incidents a text search ranks victims by. */
const TEXT_MATCHES = 1000;
/** How many near names (by trigram) a search ranks, besides every exact one. */
const NAME_MATCHES = 300;
/** A near name this close to the query is taken as the one meant (word similarity). */
const CLOSE = 0.7;

interface PageRow {
  victim_id: number;
  by_name: boolean;
  name: string;
  kind: Victim['kind'];
  sector: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  unattributed: boolean;
  total: number;
  /** Asked for (`SearchOptions.outlines`) and on the page: the victim's newest incidents as outlines. */
  outlines: OutlineRow[] | null;
}

/**
 * Finds victims by name and alias similarity and incidents by their text (title,
 * summary, vendor), ranks them, and returns one page of victims with their incidents.
 * Two statements: the ranked page of victims with their incident counts (and, when
 * asked, their timelines' outlines), then each victim's newest incidents; one for a
 * reference.
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
  if (q === '') return { query: q, hits: [], nextCursor: null };
  const viewer = options.viewer ?? OPERATOR;
  const visible = (alias: string) => visibleTo(viewer, alias);
  const outlines = (victimId: string): RawBuilder<OutlineRow[] | null> => options.outlines ? newestOutlines(sql.ref(victimId), options.outlines, viewer) : sql<null>`null`;

  if (REFERENCE.test(q)) {
    // One statement: the incident the reference names (a report joined to it leads
    // there too), whole, with its victim, the victim's count and, when asked, outlines.
    const row = await selectIncidents(db)
      .innerJoin('victims as v', 'v.id', 'i.victim_id')
      .select([
        'v.name', 'v.kind', 'v.sector', 'v.country', 'v.region', 'v.city', 'v.unattributed',
        sql<number>`(select count(*) from incidents n where n.victim_id = v.id and ${visible('n')})`.as('total'),
        outlines('v.id').as('outlines'),
      ])
      .where('i.id', '=', referencedIncidentId(q)).where(visibleTo(viewer, 'i'))
      .executeTakeFirst();
    if (!row) return { query: q, hits: [], nextCursor: null };
    return { query: q, hits: [{ victim: victimOf(row), matchedBy: 'reference', incidents: [toIncident(row)], totalIncidents: Number(row.total), ...outlinesOf(row.outlines) }], nextCursor: null };
  }

  const name = normalizeVictimName(q).normalized || q.toLowerCase();
  const near = distinctiveWords(name).join(' ') || name;
  const words = sql`websearch_to_tsquery('simple', ${q})`;
  const prefix = prefixQuery(q);
  const prefixes = prefix ? sql`to_tsquery('simple', ${prefix.query})` : words;
  // The words before the last, when they match nothing, make a prefix search pointless.
  const headMatches = prefix?.head ? sql`exists (select from incidents where search_text @@ to_tsquery('simple', ${prefix.head}))` : sql`true`;
  // One ranked list of victims: by name (word similarity over names and aliases) and
  // by incident text (full text, words as typed, and word prefixes); then the page's
  // victims and how many incidents each has.
  const ranked = await sql<PageRow & { by_prefix: boolean }>`
    with nearer as (
      -- Exact names and aliases are always ranked, however many near names there are.
      select id as victim_id, word_similarity(${name}, normalized_name) as score
        from victims where (normalized_name = ${name} and not unattributed) or core_name = ${name}
      union all
      select victim_id, word_similarity(${name}, normalized_alias)
        from victim_aliases where normalized_alias = ${name}
      union all
      -- Names near in the words that tell names apart ("havham" in "Havham School
      -- District"): the whole name is near twenty thousand school districts at a
      -- million incidents, and the index reads all of them (25 ms or more).
      -- At most NAME_MATCHES, as the trigram index yields them: a prefix ("sprin",
      -- "smit") is near thousands of names, comparing each costs about 10 µs, and a
      -- page shows three.
      (select id, word_similarity(${name}, normalized_name)
         from victims where ${near} <% normalized_name limit ${NAME_MATCHES})
      union all
      (select victim_id, word_similarity(${name}, normalized_alias)
         from victim_aliases where ${near} <% normalized_alias limit ${NAME_MATCHES})
    ),
    by_name as (
      select * from nearer
      ${near === name ? sql`` : sql`
      union all
      -- The whole name's near names, only when nothing above is close: a misspelled
      -- word that tells it apart ("Pinpeort School District") needs the rest to be found.
      (select id, word_similarity(${name}, normalized_name)
         from victims where ${name} <% normalized_name and not exists (select from nearer where score >= ${CLOSE})
        limit ${NAME_MATCHES})`}
    ),
    -- A vendor's name typed whole ("MOVEit Transfer"): its newest incidents by the
    -- vendor's own index. The text index gathers every match before a limit applies
    -- (52,000 incidents at 1M, 26 ms); this stops at the limit.
    by_vendor as materialized (
      select victim_id, search_text from incidents
       where vendor is not null and lower(vendor) = lower(${q}) and ${visible('incidents')}
       order by lower(vendor), started_on desc
       limit ${TEXT_MATCHES}
    ),
    -- Incidents with every word as typed; only when there are none, the last word as a
    -- prefix ("click2" finds Click2Gov, "ransom" ransomware). The index gathers every
    -- word a prefix starts before it can intersect anything (a misspelled "Herrera
    -- Cemical Inc." as three prefixes was 15 ms at 1M for nothing), so only the last
    -- word, the one still being typed, is a prefix, and not when the others match nothing.
    text_matches as (
      -- At most TEXT_MATCHES matches, as the index yields them: a common word
      -- ("ransomware") matches a tenth of the ledger, and ranking or ordering all of
      -- it costs more than any page needs (an ordered scan was 270 ms at 1M). The
      -- text index is not read at all when the vendor's incidents are enough.
      (select victim_id, ts_rank(search_text, ${words}) as rank from by_vendor where search_text @@ ${words})
      union all
      (select victim_id, ts_rank(search_text, ${words})
         from incidents where search_text @@ ${words} and lower(vendor) is distinct from lower(${q}) and ${visible('incidents')}
        limit ${TEXT_MATCHES})
      limit ${TEXT_MATCHES}
    ),
    prefix_matches as (
      select victim_id, ts_rank(search_text, ${prefixes}) as rank
        from incidents where search_text @@ ${prefixes} and ${visible('incidents')} and not exists (select from text_matches) and ${headMatches}
       limit ${TEXT_MATCHES}
    ),
    by_text as (
      select victim_id, max(rank) as score
        from (select * from text_matches union all select * from prefix_matches) as matches
       group by victim_id
    ),
    scored as (
      select victim_id, max(score) as score, true as by_name from by_name where ${victimVisibleTo(viewer, sql.ref('by_name.victim_id'))} group by victim_id
      union all
      select victim_id, least(score, 0.99), false from by_text
    ),
    page as (
      select s.victim_id, max(s.score) as score, bool_or(s.by_name) as by_name,
             row_number() over (order by max(s.score) desc, s.victim_id) as n
        from scored s
       group by s.victim_id
       order by max(s.score) desc, s.victim_id
       limit ${limit + 1} offset ${offset}
    )
    select p.victim_id, p.by_name, v.name, v.kind, v.sector, v.country, v.region, v.city, v.unattributed,
           (select count(*) from incidents i where i.victim_id = p.victim_id and ${visible('i')}) as total,
           not exists (select from text_matches) as by_prefix,
           -- Not for the row past the page, there only to tell whether a next page exists.
           case when p.n <= ${offset + limit} then ${outlines('p.victim_id')} end as outlines
      from page p join victims v on v.id = p.victim_id
     order by p.score desc, p.victim_id
  `.execute(db);

  const page = ranked.rows.slice(0, limit);
  if (page.length === 0) return { query: q, hits: [], nextCursor: null };
  // Each victim's newest incidents: all of a name match's, only the matching ones of a text match's.
  const text = page[0]!.by_prefix ? prefixes : words;
  const ids = page.map((r) => r.victim_id);
  const textOnly = page.map((r) => !r.by_name);
  const rows = await selectIncidents(db)
    .where(sql<boolean>`i.id in (
      select x.id from unnest(${ids}::int[], ${textOnly}::bool[]) as p(victim_id, text_only)
       cross join lateral (
         select n.id from incidents n
          where n.victim_id = p.victim_id and (not p.text_only or n.search_text @@ ${text}) and ${visible('n')}
          order by n.started_on desc, n.id desc
          limit ${perVictim}
       ) as x)`)
    .orderBy('i.started_on', 'desc')
    .orderBy('i.id', 'desc')
    .execute();
  const incidents = rows.map(toIncident);

  return {
    query: q,
    // A victim whose incidents were all retracted is no longer a victim to show.
    hits: page.filter((row) => Number(row.total) > 0).map((row) => ({
      victim: victimOf(row),
      matchedBy: row.by_name ? 'name' : 'text',
      incidents: incidents.filter((i) => i.victimId === row.victim_id),
      totalIncidents: Number(row.total),
      ...outlinesOf(row.outlines),
    })),
    nextCursor: ranked.rows.length > limit ? encodeCursor(offset + limit) : null,
  };
}

function outlinesOf(rows: OutlineRow[] | null): Pick<SearchHit, 'outlines'> {
  return rows ? { outlines: rows.map(outlineOf) } : {};
}

function victimOf(row: Pick<PageRow, 'victim_id' | 'name' | 'kind' | 'sector' | 'country' | 'region' | 'city' | 'unattributed'>): Victim {
  return { id: row.victim_id, name: row.name, kind: row.kind, sector: row.sector, country: row.country, region: row.region, city: row.city, unattributed: row.unattributed };
}

/** The words typed (three letters or more), the last as a prefix: `herrera & chem:*`. */
function prefixQuery(q: string): { query: string; head: string | null } | null {
  const words = q.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  const usable = words.filter((w) => w.length >= 3).slice(0, 8);
  if (usable.length === 0) return null;
  const head = usable.slice(0, -1).join(' & ') || null;
  return { query: [...usable.slice(0, -1), `${usable.at(-1)!}:*`].join(' & '), head };
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
