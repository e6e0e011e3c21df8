import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { UserError } from '../errors.js';
import { OPERATOR } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { loadVictims } from './incident-view.js';
import type { Victim } from './incident-view.js';
import type { IncidentSubmission } from './submission.js';
import { kindFromName, resolveVictim, victimIdentity } from './victim-resolution.js';
import type { VictimIdentity } from './victim-resolution.js';
import { bracketedAbbreviation, initialsOf, normalizeVictimName, spellingVariants } from './victim-name.js';
import { visibleVictimIds } from './victim-visibility.js';

/**
 * The victim is only similar to known ones: the person must pick one (`victim.id`)
 * or confirm a new victim (`victim.isNew: true`). Nothing was stored.
 */
export class VictimNeedsConfirmation extends UserError {
  override readonly name = 'VictimNeedsConfirmation';
  constructor(
    readonly typedName: string,
    readonly candidates: Victim[],
  ) {
    super(
      `"${typedName}" is close to ${candidates.map((c) => `${c.name} (#${c.id})`).join(', ')}. ` +
        'Choose one (victim.id) or confirm a new victim (victim.isNew: true).',
      'victim_needs_confirmation',
    );
  }
}

/**
 * The victim a submission names: `#12` (one this viewer may know of), an existing
 * victim by name, or a new one; near matches the person must confirm — or, for an
 * import that cannot ask (`nearMatch: 'new'`), a new victim with the names it is near.
 */
export async function victimFor(
  trx: Transaction<Database>,
  submission: IncidentSubmission,
  viewer: Viewer = OPERATOR,
  nearMatch: 'ask' | 'new' = 'ask',
): Promise<{ victim: Victim; created: boolean; similarTo?: string[] }> {
  const input = submission.victim;
  if (input.id !== undefined) {
    const [victim] = (await visibleVictimIds(trx, [input.id], viewer)).has(input.id) ? await loadVictims(trx, [input.id]) : [];
    if (!victim) throw new UserError(`There is no victim #${input.id}.`, 'unknown_victim');
    await insertAliases(trx, victim.id, input.aliases);
    return { victim, created: false };
  }
  if (input.unattributed) return insertVictim(trx, victimIdentity(input), submission);
  const resolution = await resolveVictim(trx, { ...input, kind: input.kind ?? kindFromName(normalizeVictimName(input.name)) ?? undefined }, viewer);
  if (resolution.status === 'matched') {
    await insertAliases(trx, resolution.victim.id, input.aliases);
    return { victim: resolution.victim, created: false };
  }
  if (resolution.status === 'uncertain' && !input.isNew) {
    if (nearMatch === 'ask') throw new VictimNeedsConfirmation(resolution.identity.name, resolution.candidates);
    return { ...(await insertVictim(trx, resolution.identity, submission)), similarTo: resolution.candidates.map((c) => c.name) };
  }
  return insertVictim(trx, resolution.identity, submission);
}

async function insertVictim(trx: Transaction<Database>, identity: VictimIdentity, submission: IncidentSubmission) {
  const values = {
    name: identity.name,
    normalized_name: identity.normalized.normalized,
    core_name: identity.normalized.core,
    kind: submission.victim.kind ?? kindFromName(identity.normalized),
    sector: submission.victim.sector ?? null,
    country: identity.country,
    region: identity.region,
    city: identity.city,
    unattributed: submission.victim.unattributed,
    national: submission.victim.national,
    initials: initialsOf(identity.name),
  };
  const victim = await trx.insertInto('victims').values(values)
    .returning(['id', 'name', 'kind', 'sector', 'country', 'region', 'city', 'unattributed']).executeTakeFirstOrThrow();
  // "National Security Agency (NSA)": "NSA" finds it too; a body named in Spanish, by its English name.
  const abbreviation = bracketedAbbreviation(submission.victim.name);
  await insertAliases(trx, victim.id, [...submission.victim.aliases, ...(abbreviation ? [abbreviation] : []), ...spellingVariants(identity.normalized.normalized)]);
  return { victim, created: true };
}

async function insertAliases(trx: Transaction<Database>, victimId: number, aliases: string[]) {
  if (aliases.length === 0) return;
  await trx
    .insertInto('victim_aliases')
    .values(aliases.map((alias) => ({ victim_id: victimId, alias, normalized_alias: normalizeVictimName(alias).normalized })))
    .onConflict((oc) => oc.columns(['victim_id', 'normalized_alias']).doNothing())
    .execute();
}

