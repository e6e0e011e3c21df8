import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, VictimKind } from '../db/schema.js';
import { withTransaction } from '../db/in-transaction.js';
import { jsonParam } from '../db/json-param.js';
import type { Victim } from './incident-view.js';
import { canonicalRegion, parseUsState } from './places.js';
import type { IncidentSubmission } from './submission.js';
import { bracketedAbbreviation, initialsOf, normalizeVictimName, shareDistinctiveWord, spellingVariants, splitPlaceFromName } from './victim-name.js';
import type { NormalizedVictimName } from './victim-name.js';
import { visibleVictimIds } from './victim-visibility.js';
import { OPERATOR } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/** A victim named in a submission, with its place taken from the fields or the name. */
export interface VictimIdentity {
  name: string;
  normalized: NormalizedVictimName;
  country: string | null;
  region: string | null;
  city: string | null;
}

export type VictimResolution =
  /** One victim is certainly meant: join it. */
  | { status: 'matched'; victim: Victim; identity: VictimIdentity }
  /** Nothing like it exists: create it. */
  | { status: 'new'; identity: VictimIdentity }
  /** Near matches: the person must choose one or confirm a new victim. */
  | { status: 'uncertain'; candidates: Victim[]; identity: VictimIdentity };

// Below this trigram similarity two names are not worth asking about.
const NEAR_MATCH = 0.45;

/**
 * Victim resolution. "City of Odessa", "odessa city" and "Odessa, TX" are the City of
 * Odessa in Texas; "Odesa, Ukraine" is someone else. An exact name or alias match
 * joins; a name that differs only by its government word ("Odessa" / "City of
 * Odessa") joins when a place is given and agrees; anything merely similar is a
 * candidate for the person to confirm. Never a silent near-duplicate — except of a
 * victim this viewer may not know of: it is never offered as a candidate, since
 * naming it would be the leak (an exact name still joins it).
 */
export async function resolveVictim(
  db: Kysely<Database>,
  input: ResolutionInput,
  viewer: Viewer = OPERATOR,
): Promise<VictimResolution> {
  const [resolution] = await resolveVictims(db, [input], viewer);
  return resolution!;
}

/** A typed victim: its name and place, what kind it is and whether it is national by nature. */
export type ResolutionInput = Pick<IncidentSubmission['victim'], 'name' | 'country' | 'region' | 'city'> & { kind?: VictimKind; national?: boolean };

/**
 * Resolves many names at once, as the ledger is now, in one statement (an import's
 * batch resolves its records' victims together): each as `resolveVictim` would alone.
 */
export async function resolveVictims(
  db: Kysely<Database>,
  inputs: readonly ResolutionInput[],
  viewer: Viewer = OPERATOR,
): Promise<VictimResolution[]> {
  const asks = inputs.map(askFor);
  // By the names a victim is known by first, and only the names these leave undecided by
  // near ones too: the trigram scan for near names reads more the more victims there are
  // (16 ms for twenty names at 20,000 victims, bench/README.md), and a victim named as it
  // is known needs none of it.
  const rows = await candidateRows(db, asks, false);
  const undecided = asks.flatMap((ask, i) => (decidedByName(inputs[i]!, ask, rows[i]!) ? [] : [i]));
  if (undecided.length > 0) {
    const withNear = await scanningAtNearMatch(db, (trx) => candidateRows(trx, undecided.map((i) => asks[i]!), true));
    for (const [k, i] of undecided.entries()) rows[i] = withNear[k]!;
  }
  return Promise.all(inputs.map((input, i) => decide(db, input, asks[i]!, rows[i]!, viewer)));
}

/** What resolution looks for, for one typed name: who it names, and every name that victim may be known by. */
export interface VictimAsk {
  identity: VictimIdentity;
  /** Exact names: the name, its lead, its other spellings, its abbreviation and initials. */
  names: string[];
  /** Names a victim recorded by its initials ("NSA") is known by. */
  byInitials: string[];
}

export function askFor(input: ResolutionInput): VictimAsk {
  const identity = victimIdentity(input);
  const { normalized } = identity.normalized;
  // "UCLA Health" is UCLA; "Federal Bureau of Investigation (FBI)" is the victim known
  // as FBI; "National Security Agency" is a victim recorded as "NSA".
  const abbreviation = bracketedAbbreviation(input.name);
  const initials = initialsOf(identity.name);
  // "Departamento de Salud de Puerto Rico" is the "Puerto Rico Department of Health".
  const names = [...new Set([normalized, leadingName(normalized), ...spellingVariants(normalized),
    ...(abbreviation ? [normalizeVictimName(abbreviation).normalized] : []), ...(initials ? [initials] : [])])];
  return { identity, names, byInitials: [normalized, leadingName(normalized)] };
}

interface CandidateRow extends Victim {
  ask: number;
  normalized_name: string;
  core_name: string;
  national: boolean;
  exact: boolean;
  score: number;
}

/**
 * Each ask's known victims by any of its names (and with `near`, by a name at least
 * NEAR_MATCH alike: run it in `scanningAtNearMatch`), those at its place then best first
 * (20 at most), in one statement.
 */
async function candidateRows(db: Kysely<Database>, asks: VictimAsk[], near: boolean): Promise<CandidateRow[][]> {
  const wanted = asks.map((a, i) => ({
    ask: i, normalized: a.identity.normalized.normalized, core: a.identity.normalized.core, names: a.names, by_initials: a.byInitials,
    country: a.identity.country, region: a.identity.region,
  }));
  // Each way a victim can be found, by its own index, then together: as one OR with a
  // subquery the planner read every victim (92 ms at 30,000 victims, growing with them).
  // (As an array, so the few ids found are read by key, not joined against every victim.)
  // The victims of any ask's exact names are read once for all of them (`known`): asked in
  // each ask's turn, on a small ledger the planner chose a read of every victim for each.
  const { rows } = await sql<CandidateRow>`
    with known as materialized (
      select id, normalized_name from victims where normalized_name = any(${[...new Set(asks.flatMap((a) => a.names))]}::text[]) and not unattributed)
    select q.ask, c.* from jsonb_to_recordset(${jsonParam(wanted)}::jsonb) as q(ask int, normalized text, core text, names text[], by_initials text[], country text, region text)
    cross join lateral (
      select v.id, v.name, v.kind, v.sector, v.country, v.region, v.city, v.unattributed, v.normalized_name, v.core_name, v.national,
        (v.normalized_name = any(q.names) or v.initials = any(q.by_initials)
          or exists (select from victim_aliases a where a.victim_id = v.id and a.normalized_alias = any(q.names))) as exact,
        greatest(similarity(v.normalized_name, q.normalized), coalesce((
          select max(similarity(a.normalized_alias, q.normalized)) from victim_aliases a where a.victim_id = v.id), 0)) as score
      from victims v
      where not v.unattributed
        and v.id = any(array(
          select id from known where normalized_name = any(q.names)
          union select id from victims where initials = any(q.by_initials)
          union select id from victims where core_name = q.core
          union select victim_id from victim_aliases where normalized_alias = any(q.names)
          ${near ? sql`union select id from victims where normalized_name % q.normalized
          union select victim_id from victim_aliases where normalized_alias % q.normalized` : sql``}))
      -- Those at the place asked first: a name shared by more than twenty victims in as
      -- many states must not cut off the one in the state the report names.
      order by coalesce(v.country = q.country and v.region = q.region, false) desc, score desc
      limit 20) c`.execute(db);
  const byAsk = asks.map((): CandidateRow[] => []);
  for (const row of rows) byAsk[row.ask]!.push(row);
  return byAsk;
}

/**
 * The candidates a name could be the victim of, by place: region and city tell places
 * apart (City of Springfield, IL and MO; two Valero stations in two states). Only what is
 * national by nature (a federal agency, a nationwide company) is one victim whatever
 * state a report names.
 */
function compatibleRows(input: ResolutionInput, identity: VictimIdentity, rows: CandidateRow[]): CandidateRow[] {
  const { normalized } = identity.normalized;
  return rows.filter((r) => {
    const local = placeBound(input.kind, identity.normalized.governmentWord !== null) || placeBound(r.kind, r.normalized_name !== r.core_name);
    const strict = local || !(input.national || r.national || nationalByName(normalized) || nationalByName(r.normalized_name));
    return placesAgree(identity, r, strict) && !differentGovernments(identity.normalized, r);
  });
}

/** "Odessa, TX" names the City of Odessa in Texas, when nothing else there fits: that victim, or null. */
function placedByCore(identity: VictimIdentity, compatible: CandidateRow[]): CandidateRow | null {
  const hasPlace = identity.country !== null || identity.region !== null;
  const sameCore = compatible.filter((r) => r.core_name === identity.normalized.core && governmentWordsAgree(identity.normalized, r.normalized_name));
  const placed = sameCore.filter((r) =>
    (identity.country === null || r.country !== null) && (identity.region === null || r.region !== null));
  return hasPlace && placed.length === 1 && sameCore.length === 1 ? placed[0]! : null;
}

/**
 * Whether a name's candidates by the names victims are known by decide it without near
 * names (`decide` returns before it looks at them): a compatible victim of that exact
 * name or alias, or the one victim of that core name at the place given.
 */
function decidedByName(input: ResolutionInput, ask: VictimAsk, rows: CandidateRow[]): boolean {
  const compatible = compatibleRows(input, ask.identity, rows);
  return compatible.some((r) => r.exact) || placedByCore(ask.identity, compatible) !== null;
}

/** What one ask's candidates mean: the victim it names, a new one, or near ones to confirm. */
async function decide(db: Kysely<Database>, input: ResolutionInput, ask: VictimAsk, rows: CandidateRow[], viewer: Viewer): Promise<VictimResolution> {
  const { identity } = ask;
  const { normalized, core } = identity.normalized;
  const compatible = compatibleRows(input, identity, rows);
  const toVictim = ({ id, name, kind, sector, country, region, city, unattributed }: CandidateRow): Victim =>
    ({ id, name, kind, sector, country, region, city, unattributed });

  const exact = compatible.filter((r) => r.exact);
  if (exact.length === 1) return { status: 'matched', victim: toVictim(exact[0]!), identity };
  // Several of those names: the one at exactly this place, if there is one; of several
  // there, the victim of this very name, which the ledger holds once at most
  // (victims_identity), beside one known by its lead ("Springfield Regional" beside
  // "Springfield Regional Hospital", both in SC).
  const here = exact.filter((r) => r.country === identity.country && (r.region ?? null) === identity.region);
  const itself = here.length === 1 ? here[0] : here.find((r) => r.normalized_name === normalized);
  if (itself) return { status: 'matched', victim: toVictim(itself), identity };
  const offered = async (candidates: CandidateRow[]) => {
    const visible = await visibleVictimIds(db, candidates.map((r) => r.id), viewer);
    return candidates.filter((r) => visible.has(r.id)).map(toVictim);
  };
  if (exact.length > 1) {
    const candidates = await offered(exact);
    return candidates.length > 0 ? { status: 'uncertain', candidates, identity } : { status: 'new', identity };
  }

  const placed = placedByCore(identity, compatible);
  if (placed) return { status: 'matched', victim: toVictim(placed), identity };

  const near = compatible.filter((r) => r.core_name === core || (r.score >= NEAR_MATCH && shareDistinctiveWord(normalized, r.normalized_name)));
  const candidates = (await offered(near)).slice(0, 5);
  if (candidates.length > 0) return { status: 'uncertain', candidates, identity };
  return { status: 'new', identity };
}

// A hair below NEAR_MATCH: pg_trgm compares in single precision, where 9/20 is 0.44999998.
const SCAN_AT = NEAR_MATCH - 0.001;
/**
 * Runs the resolution query with pg_trgm's `%` finding names at least NEAR_MATCH alike,
 * the least a candidate needs, instead of its default 0.3: at 0.3 a shared generic word
 * ("dental", "county", "school district") made thousands of victims alike, each read
 * and scored (7 ms a name at 22,700 victims), and they could crowd the 20 rows kept.
 * `set_config(…, true)` lasts to the end of the transaction: the caller's, or one of its
 * own; a transaction that set it (an import's batch resolves many names) is not told again.
 */
function scanningAtNearMatch<T>(db: Kysely<Database>, query: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return withTransaction(db, async (trx) => {
    if (!scanningSet.has(trx)) {
      await sql`select set_config('pg_trgm.similarity_threshold', ${String(SCAN_AT)}, true)`.execute(trx);
      scanningSet.add(trx);
    }
    return query(trx);
  });
}
const scanningSet = new WeakSet<Kysely<Database>>();

/** The name and place a submission gives, with "Odessa, TX" split into name and place. */
export function victimIdentity(input: Pick<IncidentSubmission['victim'], 'name' | 'country' | 'region' | 'city'>): VictimIdentity {
  const typed = splitPlaceFromName(input.name);
  const rawRegion = input.region ?? typed.region;
  let country = input.country ?? typed.country;
  const region = rawRegion === null ? null : canonicalRegion(rawRegion, country);
  // A US state with no country is in the US.
  if (country === null && rawRegion !== null && parseUsState(rawRegion)) country = 'US';
  return { name: typed.name, normalized: normalizeVictimName(typed.name), country, region, city: input.city ?? null };
}

/** The kind a government word implies, when the person did not say. */
export function kindFromName(normalized: NormalizedVictimName): VictimKind | null {
  switch (normalized.governmentWord) {
    case 'city':
    case 'town':
    case 'village':
    case 'township':
    case 'borough':
      return 'city';
    case 'county':
    case 'parish':
      return 'county';
    case 'state':
      return 'state';
    default:
      return null;
  }
}

/** Victims whose region and city are part of who they are, however large: a city, a county, a state, a school district. */
const PLACE_BOUND: VictimKind[] = ['city', 'county', 'state', 'school-district'];
const placeBound = (kind: VictimKind | null | undefined, hasGovernmentWord: boolean) => hasGovernmentWord || (!!kind && PLACE_BOUND.includes(kind));

/** "United States Postal Service", "US Federal Bureau of Investigation", "National Security Agency": one body for the whole country. */
function nationalByName(normalized: string): boolean {
  return /^(united states|us|federal|national) /.test(normalized);
}

/** The name without the generic words after its lead: "ucla health" → "ucla". */
function leadingName(normalized: string): string {
  const words = normalized.split(' ');
  while (words.length > 1 && LEAD_TAIL.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}
const LEAD_TAIL = new Set(['health', 'healthcare', 'hospital', 'medical', 'center', 'centre', 'system', 'systems', 'services', 'wireless', 'communications', 'telecom']);

function placesAgree(identity: VictimIdentity, victim: { country: string | null; region: string | null; city: string | null }, strict: boolean): boolean {
  const differs = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() !== b.toLowerCase();
  if (differs(identity.country, victim.country)) return false;
  return !strict || (!differs(identity.region, victim.region) && !differs(identity.city, victim.city));
}

// "City of Baltimore" and "County of Baltimore" are two victims, not a near match.
function differentGovernments(input: NormalizedVictimName, victim: { normalized_name: string; core_name: string }): boolean {
  const victimWord = victim.normalized_name === victim.core_name ? null : victim.normalized_name.slice(victim.core_name.length + 1);
  return input.governmentWord !== null && victimWord !== null && input.governmentWord !== victimWord;
}

// "Baltimore city" and "Baltimore county" share a core but are two victims.
function governmentWordsAgree(input: NormalizedVictimName, normalizedName: string): boolean {
  return input.governmentWord === null || normalizedName === input.normalized;
}
