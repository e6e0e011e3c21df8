import type { Tlp } from '../db/schema.js';
import { STIX_TLP_MARKINGS, tlpRank } from '../trust/tlp.js';
import type { StixBundle } from './stix.js';

/** How many incidents of each marking an export holds: `{ green: 20, amber: 2 }`. */
export type MarkingCounts = Partial<Record<Tlp, number>>;

/** The markings of the incidents in a STIX bundle, read from their `object_marking_refs`. */
export function bundleMarkings(bundle: StixBundle): MarkingCounts {
  const tlpOf = new Map(Object.entries(STIX_TLP_MARKINGS).map(([tlp, id]) => [id, tlp as Tlp]));
  const counts: MarkingCounts = {};
  for (const o of bundle.objects) {
    if (o.type !== 'incident') continue;
    const tlp = tlpOf.get(String((o.object_marking_refs as string[] | undefined)?.[0]));
    if (tlp) counts[tlp] = (counts[tlp] ?? 0) + 1;
  }
  return counts;
}

/** Only the markings above TLP:GREEN (AMBER, AMBER+STRICT, RED): what may not travel as freely as the file does. */
export function aboveGreen(counts: MarkingCounts): MarkingCounts {
  return Object.fromEntries(Object.entries(counts).filter(([tlp, n]) => tlpRank(tlp as Tlp) > tlpRank('green') && (n ?? 0) > 0));
}
