/**
 * Countries (ISO 3166-1 alpha-2) and US states: enough geography to tell
 * "Odessa, TX" from "Odesa, Ukraine".
 */

// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export const COUNTRIES: ReadonlySet<string> = new Set(COUNTRY_CODES);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** 'UA' → 'Ukraine'. */
export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US', 'u s': 'US', 'u s a': 'US', 'united states of america': 'US', america: 'US',
  uk: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB',
  russia: 'RU', 'south korea': 'KR', 'north korea': 'KP', 'czech republic': 'CZ', holland: 'NL',
};

const countryByName = new Map<string, string>([
  ...COUNTRY_CODES.map((code) => [plain(countryName(code)), code] as [string, string]),
  ...Object.entries(COUNTRY_ALIASES),
]);

/** A country named in free text: 'Ukraine', 'UA', 'USA' → its code; anything else → null. */
export function parseCountry(text: string): string | null {
  const trimmed = text.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && COUNTRIES.has(trimmed.toUpperCase())) return trimmed.toUpperCase();
  return countryByName.get(plain(trimmed)) ?? null;
}

export const US_STATES: Readonly<Record<string, string>> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia',
  HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky',
  LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire',
  NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota',
  OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island',
  SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont',
  VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
};

const usStateByName = new Map(Object.entries(US_STATES).map(([code, name]) => [plain(name), code]));

/** 'TX', 'tx', 'Texas' → 'TX'; anything else → null. */
export function parseUsState(text: string): string | null {
  const trimmed = text.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && US_STATES[trimmed.toUpperCase()]) return trimmed.toUpperCase();
  return usStateByName.get(plain(trimmed)) ?? null;
}

/**
 * A region as stored: US states as their two-letter code (so 'Texas' and 'TX'
 * agree), anything else as typed, trimmed.
 */
export function canonicalRegion(region: string, country: string | null): string {
  if (country === null || country === 'US') return parseUsState(region) ?? region.trim();
  return region.trim();
}

/** 'City of Odessa' place line: 'Odessa, TX, US'. */
export function formatPlace(place: { city: string | null; region: string | null; country: string | null }): string {
  return [place.city, place.region, place.country].filter(Boolean).join(', ');
}

function plain(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
