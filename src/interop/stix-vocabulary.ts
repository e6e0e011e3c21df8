import type { VictimKind } from '../db/schema.js';

// STIX 2.1 industry-sector-ov, spelled as the vocabulary spells it ("government-local", not
// "local-government"). The ledger's sector is free text: a NAICS sector name from a VERIS
// import ("finance and insurance", "public administration") or what a person typed ("local
// government / utility"). Each rule reads one sector out of the words; text no rule
// understands gives no sector (it still travels verbatim in our extension), since a value
// outside the vocabulary is one a consumer cannot filter on.
const RULES: [RegExp, string][] = [
  [/\blocal government|\bmunicipal|\bcity\b|\bcounty\b|\btown(ship)?\b|\bparish\b/, 'government-local'],
  [/\b(state|regional|provincial) government\b/, 'government-regional'],
  [/\b(national|federal|central) government\b|\bministry\b/, 'government-national'],
  [/\bpublic services?\b/, 'government-public-services'],
  [/\bemergency\b|\bpolice\b|\bfire (department|service)/, 'emergency-services'],
  [/\butilit(y|ies)\b/, 'utilities'],
  [/\bwater\b/, 'water'],
  [/\bdams?\b/, 'dams'],
  [/\bnuclear\b/, 'nuclear'],
  [/\benergy\b|\belectric(ity)?\b|\boil\b|\bpetroleum\b|\bpower\b/, 'energy'],
  [/\bhealth ?care\b|\bhealth\b|\bhospitals?\b|\bmedical\b|\bclinics?\b/, 'healthcare'],
  [/\bpharma/, 'pharmaceuticals'],
  [/\beducation\b|\bschools?\b|\buniversit(y|ies)\b|\bcolleges?\b/, 'education'],
  [/\bfinanc(e|ial)\b|\bbank(s|ing)?\b|\bcredit union\b/, 'financial-services'],
  [/\binsurance\b/, 'insurance'],
  [/\bretail\b/, 'retail'],
  [/\btransport(ation)?\b|\bairports?\b|\bairlines?\b|\brail(way)?\b|\bshipping\b|\blogistics\b/, 'transportation'],
  [/\baerospace\b|\baviation\b/, 'aerospace'],
  [/\bautomotive\b/, 'automotive'],
  [/\bchemicals?\b/, 'chemical'],
  [/\bconstruction\b/, 'construction'],
  [/\bdefen[cs]e\b|\bmilitary\b/, 'defense'],
  [/\bengineering\b/, 'engineering'],
  [/\bentertainment\b|\bgaming\b|\barts\b/, 'entertainment'],
  [/\baccommodation\b|\bhospitality\b|\bhotels?\b|\brestaurants?\b|\bfood services\b|\bleisure\b/, 'hospitality-leisure'],
  [/\bmanufactur/, 'manufacturing'],
  [/\bmining\b/, 'mining'],
  [/\bnon-?profit\b|\bcharit(y|ies|able)\b/, 'non-profit'],
  [/\btelecom(munications)?\b/, 'telecommunications'],
  [/\bcommunications\b|\bbroadcasting\b/, 'communications'],
  // NAICS 51 "Information" is, in the VCDB, mostly software, hosting and internet firms.
  [/\btechnology\b|\bsoftware\b|\binformation\b|\binternet\b|\bit services\b/, 'technology'],
  [/\bagricultur|\bfarm(s|ing)?\b/, 'agriculture'],
  [/\bcommercial\b/, 'commercial'],
];

// What a victim's kind says of its sector, where the kind says one.
const BY_KIND: Partial<Record<VictimKind, string>> = {
  city: 'government-local', county: 'government-local', state: 'government-regional', 'school-district': 'education',
  university: 'education', hospital: 'healthcare', nonprofit: 'non-profit', airport: 'transportation',
};

const GOVERNMENT = /^government/;

/**
 * The industry-sector-ov values a victim's sector text and kind say, each once; none when
 * neither says one the vocabulary has.
 *
 * @example
 *   industrySectors('local government / utility', 'city') // ['government-local', 'utilities']
 *   industrySectors('public administration', 'government') // ['government']
 */
export function industrySectors(sector: string | null, kind: VictimKind | null): string[] {
  const text = (sector ?? '').toLowerCase();
  const found = new Set(RULES.filter(([words]) => words.test(text)).map(([, value]) => value));
  const byKind = kind ? BY_KIND[kind] : undefined;
  if (byKind) found.add(byKind);
  // A government the words or kind do not place (national, regional, local) is "government".
  const saysGovernment = /\bgovernment\b|\bpublic administration\b/.test(text) || kind === 'government';
  if (saysGovernment && ![...found].some((value) => GOVERNMENT.test(value))) found.add('government');
  return [...found];
}
