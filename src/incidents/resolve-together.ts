import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { seesEverything } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import type { IncidentSubmission } from './submission.js';
import { byName, resolutionInput } from './submission-victim.js';
import { askFor, resolveVictims } from './victim-resolution.js';
import type { VictimResolution } from './victim-resolution.js';
import { normalizeVictimName } from './victim-name.js';

// Resolution finds a victim by an exact name, alias, initials or core name, or by a name
// at least 0.45 alike (trigrams); an earlier name this alike or more is taken to touch a
// later one: a margin, so that no near name is missed.
const TOUCHES = 0.3;

/**
 * The victims of submissions about to be recorded one after another in one transaction
 * (an import's batch), resolved in one statement instead of one each. A submission's
 * victim is resolved as the ledger is now, so one whose victim an earlier one of them
 * could create or give an alias to (a name alike, or sharing a name, core name, initials
 * or alias) gets none (undefined) and resolves alone in its turn: each resolves as it
 * would have alone. So do those not resolved by name (`#id`, unattributed), and all of
 * them for a viewer who does not see everything (a victim's visibility changes with
 * the incidents recorded before).
 */
export async function resolveTogether(db: Kysely<Database>, submissions: readonly IncidentSubmission[], viewer: Viewer): Promise<(VictimResolution | undefined)[]> {
  if (!seesEverything(viewer)) return submissions.map(() => undefined);
  const names = submissions.map(namesOf);
  const alone = names.map((later, i) => later.sought === null || names.slice(0, i).some((earlier) => touches(earlier, later)));
  const together = submissions.filter((_, i) => !alone[i]);
  const resolved = await resolveVictims(db, together.map(resolutionInput), viewer);
  return alone.map((a) => (a ? undefined : resolved.shift()));
}

/**
 * The names a submission's report may store (its victim's, new or found, and the aliases
 * it gives), each with its trigrams; and those its resolution seeks (null: none, it names
 * no victim by name), with the name whose similarity it scores.
 */
interface Names {
  stored: { name: string; trigrams: Set<string> }[];
  sought: { names: Set<string>; trigrams: Set<string> } | null;
}

function namesOf(submission: IncidentSubmission): Names {
  const aliases = submission.victim.aliases.map((a) => normalizeVictimName(a).normalized);
  const ask = byName(submission) ? askFor(resolutionInput(submission)) : null;
  // A victim named by `#id` is known here only by its id, so the aliases it is given may
  // be anyone's: they are what it stores. (An unattributed victim is never resolved to.)
  const stored = submission.victim.unattributed ? [] : ask === null ? aliases
    : [...ask.names, ...ask.byInitials, ask.identity.normalized.core, ...aliases];
  return {
    stored: [...new Set(stored)].map((name) => ({ name, trigrams: trigrams(name) })),
    sought: ask && { names: new Set([...ask.names, ...ask.byInitials, ask.identity.normalized.core]), trigrams: trigrams(ask.identity.normalized.normalized) },
  };
}

/** Whether what `earlier` may store could be found by `later`'s resolution: a name it seeks, or one alike. */
function touches(earlier: Names, later: Names): boolean {
  const sought = later.sought!;
  return earlier.stored.some((n) => sought.names.has(n.name) || similarity(n.trigrams, sought.trigrams) >= TOUCHES);
}

/** pg_trgm's similarity of two names. */
export const trigramSimilarity = (a: string, b: string): number => similarity(trigrams(a), trigrams(b));

/** The share of two names' trigrams they have in common. */
function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  const all = a.size + b.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** pg_trgm's trigrams of a name: each word lowercased and padded ("  w "), every three letters. */
function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word === '') continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  }
  return out;
}
