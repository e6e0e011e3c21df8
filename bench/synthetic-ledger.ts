import type { Kysely } from 'kysely';
import type { Database, DatePrecision, Motive, VictimKind } from '../src/db/schema.js';
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
    /** Skewed towards the front of the list (the more, the higher `skew`), as real name and vendor frequencies are. */
    zipf: <T>(items: readonly T[], skew = 2.2): T => items[Math.floor(Math.pow(next(), skew) * items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

// Place names are composed, as most real ones are, from a stem and an ending
// ("Spring" + "dale", "Oak" + " Ridge", "North " + "Hampton"): some 14,500 distinct
// names at 1M, a few stems far commoner than others, so a prefix ("sprin", "oakw") is
// ambiguous the way real ones are without thousands of victims sharing one name.
const STEMS = ['Spring', 'Oak', 'Green', 'Fair', 'River', 'Maple', 'Cedar', 'Mill', 'Brook', 'Lake', 'Pine', 'Elm', 'Ash', 'Glen', 'Wood', 'Clear',
  'Stone', 'Rock', 'Red', 'Silver', 'Bell', 'Cam', 'Chester', 'Clay', 'Deer', 'Eden', 'Elk', 'Fox', 'Frank', 'George', 'Ham', 'Hart', 'Hazel',
  'High', 'Hol', 'Hunt', 'Kings', 'Lan', 'Leb', 'Lin', 'Mad', 'Marl', 'Mid', 'Mor', 'Nor', 'Ox', 'Pem', 'Plain', 'Rich', 'Rose', 'Rut', 'Sal',
  'Shel', 'Somer', 'Stan', 'Sum', 'Tay', 'Walt', 'War', 'Water', 'Wel', 'White', 'Wil', 'Win', 'Brad', 'Bur', 'Carl', 'Dun', 'Ed', 'Gal', 'Graf',
  'Hal', 'Hav', 'Hills', 'Jeff', 'Kent', 'Lex', 'Mans', 'Mar', 'New', 'Pal', 'Port', 'Ral', 'Sand', 'Shef', 'Sher', 'Ster', 'Thorn', 'Wash', 'Wey'];
const ENDINGS = ['field', 'ville', 'ton', 'town', 'burg', 'bury', 'wood', 'dale', 'land', 'port', 'ford', 'view', 'ridge', 'haven', 'mont', 'ley',
  'ston', 'worth', 'boro', 'more', 'side', 'well', 'brook', 'ham', ' Falls', ' Springs', ' Heights', ' Park', ' Hills', ' Creek', ' Grove',
  ' Valley', ' Beach', ' Harbor', ' Lake', ' Point', ' Junction', ' Center'];
const LEADS = ['North ', 'South ', 'East ', 'West ', 'New ', 'Lake ', 'Mount ', 'Fort ', 'Port ', 'Saint '];
// Real names that many states share (there are Springfields in over 30): a twentieth
// of places, so each is shared by dozens of victims, as in real ledgers.
const SHARED_PLACES = ['Springfield', 'Franklin', 'Clinton', 'Greenville', 'Madison', 'Salem', 'Georgetown', 'Fairview', 'Riverside', 'Bristol',
  'Arlington', 'Ashland', 'Dover', 'Oxford', 'Jackson', 'Burlington', 'Manchester', 'Milton', 'Newport', 'Auburn', 'Dayton', 'Lexington',
  'Milford', 'Winchester', 'Hudson', 'Kingston', 'Mount Vernon', 'Centerville', 'Marion', 'Washington', 'Chester', 'Lebanon', 'Marietta', 'Odessa'];
const STATES = ['TX', 'CA', 'FL', 'NY', 'OH', 'GA', 'NC', 'PA', 'IL', 'MI', 'WA', 'AZ', 'MA', 'TN', 'IN', 'MO', 'MD', 'WI', 'CO', 'MN', 'SC', 'AL',
  'LA', 'KY', 'OR', 'OK', 'CT', 'UT', 'IA', 'NV', 'AR', 'MS', 'KS', 'NM', 'NE', 'ID', 'WV', 'HI', 'NH', 'ME', 'MT', 'RI', 'DE', 'SD', 'ND', 'AK', 'VT', 'WY', 'VA', 'NJ'];
const SURNAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Wilson', 'Martinez', 'Anderson',
  'Taylor', 'Thomas', 'Hernandez', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Lopez', 'Lee', 'Gonzalez', 'Harris', 'Clark', 'Lewis',
  'Robinson', 'Walker', 'Perez', 'Hall', 'Young', 'Allen', 'Sanchez', 'Wright', 'King', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill',
  'Ramirez', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins', 'Edwards', 'Stewart',
  'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward', 'Cox',
  'Diaz', 'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes', 'Price', 'Myers', 'Long', 'Foster',
  'Sanders', 'Ross', 'Morales', 'Powell', 'Sullivan', 'Russell', 'Ortiz', 'Jenkins', 'Gutierrez', 'Perry', 'Butler', 'Barnes', 'Fisher',
  'Henderson', 'Coleman', 'Simmons', 'Patterson', 'Jordan', 'Reynolds', 'Hamilton', 'Graham', 'Kim', 'Gonzales', 'Alexander', 'Ramos', 'Wallace',
  'Griffin', 'West', 'Cole', 'Hayes', 'Chavez', 'Gibson', 'Bryant', 'Ellis', 'Stevens', 'Murray', 'Ford', 'Marshall', 'Owens', 'McDonald',
  'Harrison', 'Ruiz', 'Kennedy', 'Wells', 'Alvarez', 'Woods', 'Mendoza', 'Castillo', 'Olson', 'Webb', 'Washington', 'Tucker', 'Freeman', 'Burns',
  'Henry', 'Vasquez', 'Snyder', 'Simpson', 'Crawford', 'Jimenez', 'Porter', 'Mason', 'Shaw', 'Gordon', 'Wagner', 'Hunter', 'Romero', 'Hicks',
  'Dixon', 'Hunt', 'Palmer', 'Robertson', 'Black', 'Holmes', 'Stone', 'Meyer', 'Boyd', 'Mills', 'Warren', 'Fox', 'Rose', 'Rice', 'Moreno',
  'Schmidt', 'Patel', 'Ferguson', 'Nichols', 'Herrera', 'Medina', 'Ryan', 'Fernandez', 'Weaver', 'Daniels', 'Stephens', 'Gardner', 'Payne',
  'Kelley', 'Dunn', 'Pierce', 'Arnold', 'Tran', 'Spencer', 'Peters', 'Hawkins', 'Grant', 'Hansen', 'Castro', 'Hoffman', 'Hart', 'Elliott',
  'Cunningham', 'Knight', 'Bradley', 'Keller', 'Becker', 'Novak', 'Fischer', 'Weber', 'Schultz', 'Hoffmann', 'Koch', 'Richter', 'Wolf'];
// Brand names: a coined word ("Veri" + "tek") or a plain one ("Summit"), over an industry.
const BRAND_HEADS = ['Nova', 'Veri', 'Omni', 'Tri', 'Pro', 'Inter', 'Trans', 'Uni', 'Medi', 'Fin', 'Data', 'Tele', 'Cyber', 'Net', 'Ever',
  'Zen', 'Quant', 'Syn', 'Clar', 'Aur', 'Lumi', 'Terra', 'Aqua', 'Sol', 'Vita', 'Opti', 'Acu', 'Cen', 'Integ', 'Ver', 'Xen', 'Nex', 'Cor', 'Avan'];
const BRAND_WORDS = ['Blue', 'Bright', 'Summit', 'Pinnacle', 'Apex', 'Meridian', 'Keystone', 'Horizon', 'Liberty', 'Patriot', 'Pioneer', 'Premier', 'Heritage',
  'Cornerstone', 'Evergreen', 'Northstar', 'Vertex', 'Allied', 'United', 'American', 'National', 'Pacific', 'Atlantic', 'Midwest', 'Southern', 'Great Lakes', 'Coastal', 'Metro',
  'Capital', 'Crown', 'Eagle', 'Falcon', 'Granite', 'Harbor', 'Iron', 'Legacy', 'Lighthouse', 'Mosaic', 'Orchard', 'Paramount', 'Sterling', 'Trinity'];
const BRAND_TAILS = ['tech', 'tek', 'corp', 'gen', 'sys', 'core', 'via', 'logic', 'path', 'point', 'vista', 'wave', 'link', 'net',
  'soft', 'mark', 'star', 'line', 'bridge', 'works', 'ex', 'ix', 'on', 'ara', 'ion', 'ica'];
const INDUSTRIES = ['Dental', 'Health', 'Health System', 'Medical Group', 'Pharmacy', 'Logistics', 'Freight', 'Insurance', 'Bank', 'Credit Union',
  'Financial', 'Capital', 'Manufacturing', 'Foods', 'Hotels', 'Software', 'Systems', 'Solutions', 'Energy', 'Utilities', 'Auto Group', 'Realty',
  'Construction', 'Law Group', 'Accounting', 'Staffing', 'Telecom', 'Retail', 'Apparel', 'Partners', 'Labs', 'Media', 'Marketing', 'Transport',
  'Engineering', 'Plastics', 'Steel', 'Chemical', 'Packaging', 'Farms', 'Brewing', 'Pharmaceuticals', 'Imaging', 'Orthopedics', 'Eye Care',
  'Title', 'Mortgage', 'Payroll', 'IT Services', 'Security', 'Airlines', 'Cruises', 'Games', 'Publishing', 'Home Care', 'Senior Living'];
const LEGAL = ['', '', '', ' Inc.', ' LLC', ' Corp.', ' Ltd', ' Co.'];
// Vendors and products named in breach reports, commonest first: a long tail, and
// most incidents name none.
const VENDORS = ['MOVEit Transfer', 'Microsoft Exchange', 'Citrix ADC', 'Fortinet VPN', 'Click2Gov', 'Accellion FTA', 'Kaseya VSA', 'SolarWinds Orion',
  'Pulse Secure', 'GoAnywhere MFT', 'Blackbaud', 'PowerSchool', 'Log4j', 'Confluence', 'ScreenConnect', 'Ivanti EPMM', 'Snowflake', 'Salesforce',
  'Okta', 'LastPass', 'Zoho ManageEngine', 'VMware ESXi', 'Cisco ASA', 'WordPress plugin', 'Magento', 'Jenkins', 'Tyler Munis', 'CentralSquare',
  'Citrix ShareFile', 'Barracuda ESG', 'SonicWall SMA', 'Palo Alto GlobalProtect', 'F5 BIG-IP', 'Atlassian Jira', 'Apache Struts', 'Oracle EBS',
  'SAP NetWeaver', 'Veeam Backup', 'Cleo Harmony', 'CrushFTP', 'Papercut', 'TeamCity', 'Progress WS_FTP', 'Sophos XG', 'Zimbra', 'Roundcube',
  'Kronos UKG', 'Change Healthcare', 'Connectwise', 'NetScaler Gateway', 'Synology NAS', 'QNAP NAS', 'Elasticsearch', 'MongoDB', 'Amazon S3',
  'Azure Blob Storage', 'Google Workspace', 'Microsoft 365', 'Dropbox', 'Box', 'Slack', 'Zoom', 'Epic', 'Cerner', 'Allscripts', 'eClinicalWorks',
  'NextGen', 'Athenahealth', 'Infinite Campus', 'Skyward', 'Illuminate Education', 'Raptor', 'Edgenuity', 'Canvas', 'Moodle', 'Shopify', 'WooCommerce',
  'BigCommerce', 'OpenCart', 'PrestaShop', 'Drupal', 'Joomla', 'vBulletin', 'phpBB', 'Exim', 'Sendmail', 'Fortra', 'Ivanti Connect Secure'];
const WHAT = ['ransomware encrypted', 'card skimmer on', 'credentials stolen from', 'data exfiltrated from', 'outage caused by an attack on',
  'unauthorized access to', 'phishing campaign against', 'misconfigured storage exposed', 'insider misuse of', 'DDoS against',
  'business email compromise at', 'extortion after intrusion into', 'wiper deployed on', 'lost laptop from', 'payroll fraud through'];
const TECHNIQUES = ['T1190', 'T1486', 'T1566', 'T1078', 'T1059', 'T1110', 'T1498', 'T1056.003', 'T1505.003', 'T1567', 'T1133', 'T1210'];
const MOTIVES: Motive[] = ['financial', 'espionage', 'ideology', 'grudge', 'fun', 'unknown'];

export interface Named {
  name: string;
  /** Another name it goes by, with a spelling variant ("Mt. Vernon", "Harris Dental Labs, Inc."). */
  alias: string | null;
  kind: VictimKind;
  sector: string;
  region: string;
  city: string | null;
  /** The word people start typing: the place or the company's first word. */
  word: string;
}

function placeName(r: Random): string {
  if (r.next() < 0.05) return r.zipf(SHARED_PLACES);
  const name = `${r.zipf(STEMS, 1.2)}${r.pick(ENDINGS)}`;
  const lead = r.next() < 0.12 ? r.pick(LEADS) : '';
  return name.includes(lead.trim()) ? name : `${lead}${name}`;
}

/** "Saint Albans" is also written "St. Albans"; "Mount" "Mt.", "Fort" "Ft.", "-boro" "-borough". */
function spellingVariant(place: string): string | null {
  const variant = place.replace(/^Saint /, 'St. ').replace(/^Mount /, 'Mt. ').replace(/^Fort /, 'Ft. ').replace(/boro$/, 'borough').replace(/ville$/, 'villa');
  return variant === place ? null : variant;
}

export function victimName(r: Random): Named {
  const state = r.pick(STATES);
  const roll = r.next();
  if (roll < 0.36) {
    const place = placeName(r);
    const variant = spellingVariant(place);
    const place2 = r.next() < 0.5 && variant ? variant : place;
    const gov = { kind: 'city' as const, sector: 'local government', region: state, city: place, word: place };
    const form = r.next();
    if (form < 0.3) return { ...gov, name: `City of ${place}`, alias: r.next() < 0.3 ? `${place2} City` : null };
    if (form < 0.42) return { ...gov, kind: 'county', name: `${place} County`, alias: r.next() < 0.2 ? `County of ${place2}` : null };
    if (form < 0.47) return { ...gov, kind: 'government', name: `Town of ${place}`, alias: r.next() < 0.2 ? `${place2} Township` : null };
    if (form < 0.72) return { ...gov, kind: 'school-district', name: `${place} ${r.pick(['School District', 'Unified School District', 'Public Schools', 'Independent School District'])}`, alias: r.next() < 0.2 ? `${place2} Schools` : null };
    if (form < 0.88) return { ...gov, kind: 'hospital', sector: 'healthcare', name: `${place} ${r.pick(['Regional', 'General', 'Memorial', 'Community', 'Medical Center'])}${r.next() < 0.8 ? ' Hospital' : ''}`.replace('Medical Center Hospital', 'Medical Center'), alias: r.next() < 0.2 ? `${place2} Health` : null };
    return { ...gov, kind: 'government', name: `${place} ${r.pick(['Police Department', 'Public Library', 'Water District', 'Housing Authority', 'Fire District', 'Transit Authority'])}`, alias: null };
  }
  // Companies: a family name, a brand, or a place with an industry.
  const industry = r.zipf(INDUSTRIES);
  const legal = r.pick(LEGAL);
  const style = r.next();
  const company = (base: string, word: string, alias: string | null): Named => ({ name: `${base}${legal}`, alias, kind: 'company', sector: 'private sector', region: state, city: null, word });
  if (style < 0.4) {
    const a = r.zipf(SURNAMES, 1.5);
    if (r.next() < 0.3) {
      const b = r.pick(SURNAMES);
      return { ...company(`${a} & ${b}`, a, r.next() < 0.2 ? `${a} and ${b}` : null), name: `${a} & ${b} ${r.pick(['LLP', 'Associates', 'Law Group', 'CPAs', 'Partners'])}` };
    }
    return company(`${a} ${industry}`, a, r.next() < 0.1 ? `${a} ${industry} Holdings` : null);
  }
  if (style < 0.85) {
    const brand = r.next() < 0.5 ? `${r.zipf(BRAND_HEADS)}${r.pick(BRAND_TAILS)}` : r.zipf(BRAND_WORDS);
    return company(`${brand} ${industry}`, brand, r.next() < 0.1 ? `${brand}${r.pick([' Group', ' Holdings', ' International'])}` : null);
  }
  const place = placeName(r);
  return company(`${place} ${industry}`, place, null);
}

/** "springfield" → "sprngfield", "spingfield", "springfeild": what people mistype. */
function misspell(r: Random, name: string): string {
  const words = name.split(' ');
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 5) return name;
  const at = r.int(1, longest.length - 3);
  const typo = r.pick([
    (w: string) => w.slice(0, at) + w.slice(at + 1), // a letter dropped
    (w: string) => w.slice(0, at) + w[at + 1]! + w[at]! + w.slice(at + 2), // two swapped
    (w: string) => w.slice(0, at) + w[at]! + w.slice(at), // one doubled
  ]);
  return words.map((w) => (w === longest ? typo(w) : w)).join(' ');
}

export interface SyntheticLedger {
  victims: number;
  incidents: number;
  /** Names as people type them, for search: exact, misspelled, prefixes, vendors, references. */
  queries: { exact: string[]; fuzzy: string[]; prefix: string[]; vendor: string[]; reference: string[] };
}

/**
 * Fills an empty ledger with a realistic synthetic one, fast (batched inserts), the
 * same for the same seed: cities, counties, towns, school districts, hospitals and
 * companies with names composed as real ones are, a few place names shared by many
 * states (Springfield), spelling-variant aliases ("Mt. Vernon"), incidents skewed
 * towards few victims, and vendors with a long tail.
 */
export async function generateLedger(db: Kysely<Database>, options: { incidents: number; victims: number; seed: number; onProgress?: (done: number) => void }): Promise<SyntheticLedger> {
  const r = random(options.seed);
  const victimRows: Database['victims'][] = [];
  const aliasOf: (string | null)[] = [];
  const seen = new Set<string>();
  const queries: SyntheticLedger['queries'] = { exact: [], fuzzy: [], prefix: [], vendor: [...VENDORS.slice(0, 10).map((v) => v.toLowerCase())], reference: [] };
  while (victimRows.length < options.victims) {
    const v = victimName(r);
    const n = normalizeVictimName(v.name);
    // One victim per name and state, as the ledger's own identity rule has it.
    const key = `${n.normalized}|${v.region}`;
    if (seen.has(key)) continue;
    seen.add(key);
    victimRows.push({ name: v.name, normalized_name: n.normalized, core_name: n.core, kind: v.kind, sector: v.sector, country: 'US', region: v.region, city: v.city } as never);
    aliasOf.push(v.alias);
    if (victimRows.length % 97 === 0) {
      queries.exact.push(v.name);
      queries.fuzzy.push(misspell(r, v.name));
      queries.prefix.push(v.word.toLowerCase().slice(0, r.int(4, 6)).trim());
    }
  }
  const victimIds: number[] = [];
  for (let i = 0; i < victimRows.length; i += 2000) {
    const rows = await db.insertInto('victims').values(victimRows.slice(i, i + 2000) as never).returning('id').execute();
    victimIds.push(...rows.map((x) => x.id));
    const aliases = rows.flatMap((x, k) => {
      const alias = aliasOf[i + k];
      return alias ? [{ victim_id: x.id, alias, normalized_alias: normalizeVictimName(alias).normalized }] : [];
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
    const vendor = r.next() < 0.4 ? r.zipf(VENDORS) : null;
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
