import type { Kysely } from 'kysely';
import type { Database, DatePrecision, Motive } from '../src/db/schema.js';
import { normalizeVictimName } from '../src/incidents/victim-name.js';

/** A small, fast, deterministic random source (mulberry32). */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const PLACES = ['Springfield', 'Riverside', 'Franklin', 'Greenville', 'Bristol', 'Clinton', 'Fairview', 'Salem', 'Madison', 'Georgetown',
  'Arlington', 'Ashland', 'Dover', 'Oxford', 'Jackson', 'Burlington', 'Manchester', 'Milton', 'Newport', 'Auburn', 'Dayton', 'Lexington',
  'Milford', 'Winchester', 'Hudson', 'Kingston', 'Mount Vernon', 'Centerville', 'Oakland', 'Odessa', 'Midland', 'Waco', 'Tyler', 'Bakersfield',
  'Oxnard', 'Wellington', 'Carson', 'Sugar Land', 'Dothan', 'Marietta', 'Bend', 'Topeka', 'Ames', 'Palm Bay', 'Pompano Beach', 'Coral Springs',
  'Baltimore', 'Atlanta', 'Tulsa', 'Durham', 'Lafayette', 'Savannah', 'Lowell', 'Provo', 'Boise', 'Spokane', 'Tacoma', 'Eugene', 'Reno', 'Fresno'];
const STATES = ['TX', 'CA', 'FL', 'NY', 'OH', 'GA', 'NC', 'PA', 'IL', 'MI', 'WA', 'AZ', 'MA', 'TN', 'IN', 'MO', 'MD', 'WI', 'CO', 'MN'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Cyberdyne', 'Soylent', 'Tyrell', 'Vandelay', 'Hooli', 'Pied Piper',
  'Massive Dynamic', 'Wonka', 'Gringotts', 'Oscorp', 'Aperture', 'Black Mesa', 'Monarch', 'Prestige', 'Blue Sun', 'Virtucon', 'Nakatomi', 'Duff'];
const COMPANY_KINDS = ['Bank', 'Health', 'Logistics', 'Energy', 'Retail', 'Insurance', 'Labs', 'Software', 'Foods', 'Hotels', 'Credit Union', 'Telecom'];
const VENDORS = ['Click2Gov', 'MOVEit Transfer', 'Accellion FTA', 'Citrix ADC', 'Kaseya VSA', 'SolarWinds Orion', 'Microsoft Exchange', 'Fortinet VPN',
  'Pulse Secure', 'GoAnywhere MFT', 'Blackbaud', 'PowerSchool', 'Tyler Munis', 'CentralSquare', 'Log4j', 'Confluence', 'ScreenConnect', 'Ivanti EPMM',
  'Snowflake', 'Salesforce', 'Okta', 'LastPass', 'Zoho ManageEngine', 'VMware ESXi', 'Cisco ASA', 'WordPress plugin', 'Magento', 'Jenkins'];
const WHAT = ['ransomware encrypted', 'card skimmer on', 'credentials stolen from', 'data exfiltrated from', 'outage caused by an attack on',
  'unauthorized access to', 'phishing campaign against', 'misconfigured storage exposed', 'insider misuse of', 'DDoS against'];
const TECHNIQUES = ['T1190', 'T1486', 'T1566', 'T1078', 'T1059', 'T1110', 'T1498', 'T1056.003', 'T1505.003', 'T1567', 'T1133', 'T1210'];
const MOTIVES: Motive[] = ['financial', 'espionage', 'ideology', 'grudge', 'fun', 'unknown'];
const KIND_OF = { city: 'city', county: 'county', school: 'school-district', hospital: 'hospital', company: 'company' } as const;

export interface SyntheticLedger {
  victims: number;
  incidents: number;
  /** Names as people type them, for search: exact, misspelled, prefixes, vendors, references. */
  queries: { exact: string[]; fuzzy: string[]; prefix: string[]; vendor: string[]; reference: string[] };
}

/**
 * Fills an empty ledger with a realistic synthetic one, fast (batched inserts), the
 * same for the same seed: cities, counties, school districts, hospitals and companies
 * with spelling-variant aliases, incidents skewed towards few victims, shared vendors.
 */
export async function generateLedger(db: Kysely<Database>, options: { incidents: number; victims: number; seed: number; onProgress?: (done: number) => void }): Promise<SyntheticLedger> {
  const r = random(options.seed);
  const victimRows: Database['victims'][] = [];
  const seen = new Set<string>();
  const queries: SyntheticLedger['queries'] = { exact: [], fuzzy: [], prefix: [], vendor: [...VENDORS.slice(0, 10).map((v) => v.toLowerCase())], reference: [] };
  let suffix = 0;
  while (victimRows.length < options.victims) {
    const kind = r.pick(['city', 'county', 'school', 'hospital', 'company', 'company'] as const);
    const place = r.pick(PLACES);
    const state = r.pick(STATES);
    const base = kind === 'city' ? `City of ${place}` : kind === 'county' ? `${place} County` : kind === 'school' ? `${place} School District`
      : kind === 'hospital' ? `${place} ${r.pick(['Regional', 'General', 'Memorial', 'Community'])} Hospital` : `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)}`;
    // Names repeat across places and numbers make the rest distinct, as real ledgers' do.
    let name = base;
    if (seen.has(`${normalizeVictimName(name).normalized}|${state}`)) name = `${base} ${++suffix}`;
    const n = normalizeVictimName(name);
    const key = `${n.normalized}|${state}`;
    if (seen.has(key)) continue;
    seen.add(key);
    victimRows.push({ name, normalized_name: n.normalized, core_name: n.core, kind: KIND_OF[kind], sector: kind === 'company' ? 'private sector' : 'local government',
      country: 'US', region: state, city: kind === 'company' ? null : place } as never);
    if (victimRows.length % 97 === 0) {
      queries.exact.push(name);
      queries.fuzzy.push(name.replace(/[aeiou]/, (c) => (c === 'a' ? 'e' : 'a')));
      queries.prefix.push(place.slice(0, 5).toLowerCase());
    }
  }
  const victimIds: number[] = [];
  for (let i = 0; i < victimRows.length; i += 2000) {
    const rows = await db.insertInto('victims').values(victimRows.slice(i, i + 2000) as never).returning('id').execute();
    victimIds.push(...rows.map((x) => x.id));
    // One victim in ten also goes by an older name.
    const aliases = rows.flatMap((x, k) => {
      if (k % 10 !== 0) return [];
      const alias = `${victimRows[i + k]!.name} Authority`;
      return [{ victim_id: x.id, alias, normalized_alias: normalizeVictimName(alias).normalized }];
    });
    if (aliases.length) await db.insertInto('victim_aliases').values(aliases).onConflict((oc) => oc.doNothing()).execute();
  }

  const counters = new Map<number, number>();
  let batch: Record<string, unknown>[] = [];
  let sources: { reference: string; url: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = await db.insertInto('incidents').values(batch as never).returning(['id', 'reference']).execute();
    const idOf = new Map(rows.map((x) => [x.reference, x.id]));
    await db.insertInto('incident_sources').values(sources.map((s) => ({ incident_id: idOf.get(s.reference)!, position: 0, url: s.url }))).execute();
    batch = [];
    sources = [];
  };
  for (let i = 0; i < options.incidents; i++) {
    // Skewed: a few victims have many incidents, most have one or two.
    const victimIndex = Math.floor(Math.pow(r.next(), 1.6) * victimIds.length);
    const year = r.int(2008, 2025);
    const precision: DatePrecision = r.pick(['day', 'day', 'month', 'year']);
    const month = precision === 'year' ? 1 : r.int(1, 12);
    const day = precision === 'day' ? r.int(1, 28) : 1;
    const number = (counters.get(year) ?? 0) + 1;
    counters.set(year, number);
    const reference = `INC-${year}-${String(number).padStart(4, '0')}`;
    const vendor = r.next() < 0.6 ? r.pick(VENDORS) : null;
    const victim = victimRows[victimIndex]!;
    const what = r.pick(WHAT);
    batch.push({
      reference, victim_id: victimIds[victimIndex]!, started_on: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, started_precision: precision,
      title: `${vendor ?? 'Network'} ${what.split(' ')[0]} at ${victim.name}`.slice(0, 200),
      summary: `${what[0]!.toUpperCase()}${what.slice(1)} ${vendor ?? 'the network'} of ${victim.name}; records and services affected.`,
      vendor, confidentiality: r.next() < 0.7, integrity: r.next() < 0.3, availability: r.next() < 0.3,
      motives: [r.pick(MOTIVES)], techniques: r.next() < 0.5 ? [r.pick(TECHNIQUES)] : [],
      reported_platform: 'import', reported_by: 'bench',
    });
    sources.push({ reference, url: `https://news.example.org/${year}/${reference.toLowerCase()}` });
    if (i % 997 === 0) queries.reference.push(reference);
    if (batch.length >= 2000) {
      await flush();
      options.onProgress?.(i + 1);
    }
  }
  await flush();
  await db.insertInto('incident_reference_counters').values([...counters].map(([year, last_number]) => ({ year, last_number })))
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last_number: eb.ref('excluded.last_number') }))).execute();
  return { victims: victimRows.length, incidents: options.incidents, queries };
}
