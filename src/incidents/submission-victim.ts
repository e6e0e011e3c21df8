import type { Insertable, Transaction } from 'kysely';
import type { Database, VictimTable } from '../db/schema.js';
import { UserError } from '../errors.js';
import { OPERATOR } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { loadVictims } from './incident-view.js';
import type { Victim } from './incident-view.js';
import type { IncidentSubmission } from './submission.js';
import { kindFromName, resolveVictim, victimIdentity } from './victim-resolution.js';
import type { ResolutionInput, VictimIdentity, VictimResolution } from './victim-resolution.js';
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

/** A victim to create, as it will be stored (all but its id), with its aliases. */
export interface NewVictim {
  values: Insertable<VictimTable> & Omit<Victim, 'id'>;
  aliases: string[];
}

/**
 * The victim a submission names: `#12` (one this viewer may know of), an existing
 * victim by name, or a new one, created here; near matches the person must confirm —
 * or, for an import that cannot ask (`nearMatch: 'new'`), a new victim with the names
 * it is near.
 */
export async function victimFor(
  trx: Transaction<Database>,
  submission: IncidentSubmission,
  viewer: Viewer = OPERATOR,
  nearMatch: 'ask' | 'new' = 'ask',
): Promise<{ victim: Victim; created: boolean; similarTo?: string[] }> {
  const found = await victimOrNew(trx, submission, viewer, nearMatch);
  if (found.victim) return { victim: found.victim, created: false };
  const victim = await insertVictim(trx, found.create);
  return found.similarTo ? { victim, created: true, similarTo: found.similarTo } : { victim, created: true };
}

/**
 * Like `victimFor`, but a new victim is only described, for the caller to create in a
 * statement of its own (a report creates it with its incident: a round trip fewer).
 */
export async function victimOrNew(
  trx: Transaction<Database>,
  submission: IncidentSubmission,
  viewer: Viewer = OPERATOR,
  nearMatch: 'ask' | 'new' = 'ask',
  /** Its victim resolved already in this transaction, still as it stands (resolve-together.ts). */
  resolved?: VictimResolution,
): Promise<{ victim: Victim; create?: never; similarTo?: never } | { victim?: never; create: NewVictim; similarTo?: string[] }> {
  const input = submission.victim;
  if (input.id !== undefined) {
    const [victim] = (await visibleVictimIds(trx, [input.id], viewer)).has(input.id) ? await loadVictims(trx, [input.id]) : [];
    if (!victim) throw new UserError(`There is no victim #${input.id}.`, 'unknown_victim');
    await insertAliases(trx, victim.id, input.aliases);
    return { victim };
  }
  if (input.unattributed) return { create: newVictim(victimIdentity(input), submission) };
  const resolution = resolved ?? await resolveVictim(trx, resolutionInput(submission), viewer);
  if (resolution.status === 'matched') {
    await insertAliases(trx, resolution.victim.id, input.aliases);
    return { victim: resolution.victim };
  }
  if (resolution.status === 'uncertain' && !input.isNew) {
    if (nearMatch === 'ask') throw new VictimNeedsConfirmation(resolution.identity.name, resolution.candidates);
    return { create: newVictim(resolution.identity, submission), similarTo: resolution.candidates.map((c) => c.name) };
  }
  return { create: newVictim(resolution.identity, submission) };
}

/** Whether the submission's victim is found by its name (not by `#id`, nor an unattributed placeholder). */
export const byName = (submission: IncidentSubmission): boolean => submission.victim.id === undefined && !submission.victim.unattributed;

/** What resolution is asked of a submission's victim: its kind, when not given, the one its name implies. */
export function resolutionInput(submission: IncidentSubmission): ResolutionInput {
  const input = submission.victim;
  return { ...input, kind: input.kind ?? kindFromName(normalizeVictimName(input.name)) ?? undefined };
}

/** A new victim's fields as a Victim shows them, from what is inserted. */
export function shownVictim({ name, kind, sector, country, region, city, unattributed }: NewVictim['values']): Omit<Victim, 'id'> {
  return { name, kind, sector, country, region, city, unattributed };
}

function newVictim(identity: VictimIdentity, submission: IncidentSubmission): NewVictim {
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
  // "National Security Agency (NSA)": "NSA" finds it too; a body named in Spanish, by its English name.
  const abbreviation = bracketedAbbreviation(submission.victim.name);
  return { values, aliases: [...submission.victim.aliases, ...(abbreviation ? [abbreviation] : []), ...spellingVariants(identity.normalized.normalized)] };
}

async function insertVictim(trx: Transaction<Database>, create: NewVictim): Promise<Victim> {
  const victim = await trx.insertInto('victims').values(create.values)
    .returning(['id', 'name', 'kind', 'sector', 'country', 'region', 'city', 'unattributed']).executeTakeFirstOrThrow();
  await insertAliases(trx, victim.id, create.aliases);
  return victim;
}

/** Aliases of a victim; those it has already are left as they are. */
export async function insertAliases(trx: Transaction<Database>, victimId: number, aliases: string[]) {
  if (aliases.length === 0) return;
  await trx
    .insertInto('victim_aliases')
    .values(aliases.map((alias) => ({ victim_id: victimId, alias, normalized_alias: normalizeVictimName(alias).normalized })))
    .onConflict((oc) => oc.columns(['victim_id', 'normalized_alias']).doNothing())
    .execute();
}

