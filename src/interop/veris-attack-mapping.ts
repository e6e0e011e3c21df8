import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { attackTechniques } from '../incidents/attack-catalogue.js';

const FILE = fileURLToPath(new URL('../../reference/veris-attack/veris-1.4.1_attack-19.1-enterprise.csv', import.meta.url));
/** A mapping to more parent techniques than this says little about what happened. */
const MAX_PARENTS = 3;

let mapping: Map<string, string[]> | undefined;

/**
 * The ATT&CK techniques a VERIS capability (`action.hacking.variety.SQLi`) maps to in
 * the public VERIS→ATT&CK mapping — when the mapping is specific (at most three parent
 * techniques, or techniques named like the variety, as Phishing → T1566, T1598), and
 * only techniques in the shipped ATT&CK catalogue.
 */
export function techniquesForVeris(capability: string): string[] {
  mapping ??= load();
  return mapping.get(capability.toLowerCase()) ?? [];
}

function load(): Map<string, string[]> {
  const rows = parse<Record<string, string>>(readFileSync(FILE, 'utf8'), { columns: true, skip_empty_lines: true });
  const known = attackTechniques();
  const byCapability = new Map<string, string[]>();
  for (const row of rows) {
    if (row.mapping_type !== 'related-to' || !row.capability_id || !row.attack_object_id) continue;
    const key = row.capability_id.toLowerCase();
    byCapability.set(key, [...(byCapability.get(key) ?? []), row.attack_object_id]);
  }
  const result = new Map<string, string[]>();
  for (const [capability, ids] of byCapability) {
    const variety = capability.split('.').pop() ?? '';
    const inCatalogue = [...new Set(ids)].filter((id) => known.has(id));
    const parents = new Set(inCatalogue.map((id) => id.split('.')[0]));
    const chosen = parents.size <= MAX_PARENTS
      ? inCatalogue
      : inCatalogue.filter((id) => variety.length > 3 && known.get(id)!.name.toLowerCase().includes(variety));
    // A sub-technique says no more than its parent when the parent is there too.
    const distinct = chosen.filter((id) => !id.includes('.') || !chosen.includes(id.split('.')[0]!));
    if (distinct.length > 0) result.set(capability, distinct.sort());
  }
  return result;
}
