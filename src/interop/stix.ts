import { UserError } from '../errors.js';
import { attackGroupsByName, attackTechnique } from '../incidents/attack-catalogue.js';
import { loadIncidents, loadVictims } from '../incidents/incident-view.js';
import type { Incident, Victim } from '../incidents/incident-view.js';
import type { Ledger } from '../ledger.js';
import { formatPartialDate, parsePartialDate } from '../incidents/partial-date.js';
import { countryName } from '../incidents/places.js';
import type { Tlp } from '../db/schema.js';
import { OPERATOR, STIX_TLP_MARKINGS, tlpLabel, tlpRank, visibleTo } from '../trust/tlp.js';
import { EXTENSION_DEFINITION, PRODUCER, breachdeskExtension } from './stix-extension.js';
import { stixId } from './stix-object.js';
import type { StixBundle, StixObject } from './stix-object.js';
import { actorFirstNamedTimes, incidentVersionTimes, victimRecordedTimes } from './stix-versions.js';
import { industrySectors } from './stix-vocabulary.js';

export type { StixBundle, StixObject } from './stix-object.js';

/** The ATT&CK release the shipped catalogue copies (reference/attack/README.md): the version of its techniques and groups. */
const ATTACK_RELEASED = '2025-11-13T00:00:00.000Z';

/** When each object's current version came to be, from the ledger (see stix-versions.ts). */
interface Versions {
  incidents: Map<number, Date>;
  victims: Map<number, Date>;
  actors: Map<string, Date>;
}

/**
 * The ledger (or one victim's incidents, or those started since a date) as a STIX 2.1 bundle:
 * victims as `identity` (sectors from industry-sector-ov) with a `location`, incidents as
 * `incident`, techniques as `attack-pattern`, ATT&CK groups as `intrusion-set` and other
 * actors as `threat-actor`, tied by `relationship` objects; what STIX has no property for
 * travels in breachdesk's property extension, whose definition the bundle carries. Ids are
 * UUIDv5 of what they name and `modified` is when the ledger last changed the thing, so a
 * re-export is identical and a changed incident is a newer version of the same object.
 */
export async function exportStix(ledger: Ledger, filter: { victim?: string; since?: string; upTo?: Tlp } = {}): Promise<StixBundle> {
  let query = ledger.db.selectFrom('incidents').select('id').where(visibleTo({ ...OPERATOR, upTo: filter.upTo ?? 'red' })).orderBy('id');
  if (filter.victim) {
    const resolution = await ledger.resolveVictim({ name: filter.victim });
    if (resolution.status === 'new') throw new UserError(`No victim called "${filter.victim}" is in the ledger.`, 'unknown_victim');
    if (resolution.status === 'uncertain') throw new UserError(`"${filter.victim}" could be ${resolution.candidates.map((c) => c.name).join(' or ')}; name one exactly.`, 'victim_needs_confirmation');
    query = query.where('victim_id', '=', resolution.victim.id);
  }
  if (filter.since) {
    const since = parsePartialDate(filter.since);
    if (!since) throw new UserError(`--since "${filter.since}" is not a date like 2020, 2020-04 or 2020-04-15.`, 'usage');
    query = query.where('started_until', '>=', since.on);
  }
  const ids = (await query.execute()).map((r) => r.id);
  const objects = new Map<string, StixObject>();
  const markings = new Map<string, Tlp>();
  // Every object carries the TLP marking of the incidents it came from; one shared by
  // several (a victim, a threat actor) carries the most restrictive of them.
  const add = (o: StixObject, tlp: Tlp) => {
    if (!objects.has(o.id)) objects.set(o.id, o);
    const before = markings.get(o.id);
    if (before === undefined || tlpRank(tlp) > tlpRank(before)) markings.set(o.id, tlp);
  };
  for (let i = 0; i < ids.length; i += 1000) {
    const incidents = await loadIncidents(ledger.db, ids.slice(i, i + 1000));
    const victimIds = [...new Set(incidents.map((x) => x.victimId))];
    const victims = new Map((await loadVictims(ledger.db, victimIds)).map((v) => [v.id, v]));
    const versions: Versions = {
      incidents: await incidentVersionTimes(ledger.db, incidents.map((x) => x.id)),
      victims: await victimRecordedTimes(ledger.db, victimIds),
      actors: await actorFirstNamedTimes(ledger.db, [...new Set(incidents.flatMap((x) => x.threatActors))]),
    };
    for (const incident of incidents) describeIncident(incident, victims.get(incident.victimId)!, versions, add);
  }
  // Always there, so that even an empty ledger's bundle holds objects (STIX allows no empty list).
  add(PRODUCER, 'clear');
  add(EXTENSION_DEFINITION, 'clear');
  for (const [id, tlp] of markings) objects.set(id, { ...objects.get(id)!, object_marking_refs: [STIX_TLP_MARKINGS[tlp]] });
  for (const tlp of new Set(markings.values())) objects.set(STIX_TLP_MARKINGS[tlp], tlpMarkingDefinition(tlp));
  const sorted = [...objects.values()].sort((a, b) => a.id.localeCompare(b.id));
  // Another content, another bundle: the versions are part of what it holds.
  return { type: 'bundle', id: stixId('bundle', sorted.map((o) => `${o.id}@${String(o.modified ?? o.created)}`).join(',')), objects: sorted };
}

/** The TLP 2.0 marking definition as OASIS publishes it, so every reference resolves inside the bundle. */
function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition', spec_version: '2.1', id: STIX_TLP_MARKINGS[tlp], created: '2022-10-01T00:00:00.000Z', name: tlpLabel(tlp),
    extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

function describeIncident(incident: Incident, victim: Victim, versions: Versions, addMarked: (o: StixObject, tlp: Tlp) => void): void {
  const add = (o: StixObject) => addMarked(o, incident.tlp);
  // created: when the thing first entered the ledger; modified: when its current version did.
  const common = (type: string, key: string, created: Date, modified = created) =>
    ({ type, spec_version: '2.1', id: stixId(type, key), created: created.toISOString(), modified: modified.toISOString() });
  const relate = (type: string, source: string, target: string, at: Date, description?: string) =>
    add({ ...common('relationship', `${type}:${source}:${target}`, at), relationship_type: type, source_ref: source, target_ref: target, ...(description ? { description } : {}) });

  const victimAt = versions.victims.get(victim.id) ?? incident.reportedAt;
  const sectors = industrySectors(victim.sector, victim.kind);
  const identity = {
    ...common('identity', `victim:${victim.id}`, victimAt), name: victim.name, identity_class: victim.unattributed ? 'unknown' : 'organization',
    ...(sectors.length > 0 ? { sectors } : {}),
    ...breachdeskExtension('identity', { kind: victim.kind, sector: victim.sector }),
  };
  add(identity);
  if (victim.country) {
    const location = { ...common('location', `victim:${victim.id}`, victimAt), name: [victim.city, victim.region, countryName(victim.country)].filter(Boolean).join(', '),
      country: victim.country, ...(victim.region ? { administrative_area: victim.region } : {}), ...(victim.city ? { city: victim.city } : {}) };
    add(location);
    relate('located-at', identity.id, location.id, victimAt);
  }

  const date = (d: Incident['ended']) => (d ? formatPartialDate(d) : undefined);
  const stixIncident = {
    ...common('incident', `incident:${incident.reference}`, incident.reportedAt, versions.incidents.get(incident.id) ?? incident.reportedAt),
    name: `${incident.reference}: ${incident.title}`,
    description: [incident.summary, incident.description].filter(Boolean).join('\n\n'),
    external_references: [
      { source_name: 'breachdesk', external_id: incident.reference },
      ...incident.sources.flatMap((url) => sourceReference(url)),
      ...(incident.externalId ? [{ source_name: incident.externalId.split(':')[0] ?? 'import', external_id: incident.externalId }] : []),
    ],
    // Incident is a stub object in STIX 2.1: the ledger's facts travel in our extension.
    ...breachdeskExtension('incident', {
      started: date(incident.started), ended: date(incident.ended), discovered: date(incident.discovered), disclosed: date(incident.disclosed),
      vendor: incident.vendor, vector: incident.vector, impact: incident.impact, motives: incident.motives,
      records_affected: incident.recordsAffected, revision: incident.revision,
    }),
  };
  add(stixIncident);

  // STIX 2.1 defines no relationships for incident (a stub) beyond the common ones, and its
  // table has no incident `targets`, `uses` or `attributed-to`. So the incident is
  // `related-to` its victim, techniques and actors, each saying how in its description; the
  // facts the table does define go with their own type: an actor `targets` the victim, the
  // victim is `located-at` its place.
  const at = incident.reportedAt;
  relate('related-to', stixIncident.id, identity.id, at, 'victim of the incident');
  for (const id of incident.techniques) {
    const technique = attackTechnique(id);
    const attackDate = new Date(ATTACK_RELEASED);
    const pattern = { ...common('attack-pattern', `technique:${id}`, attackDate), name: technique?.name ?? id,
      external_references: [{ source_name: 'mitre-attack', external_id: id, ...(technique ? { url: technique.url } : {}) }] };
    // ATT&CK is public knowledge, whatever the incident's marking.
    addMarked(pattern, 'clear');
    relate('related-to', stixIncident.id, pattern.id, at, 'technique used in the incident');
  }
  for (const name of incident.threatActors) {
    const actor = threatActor(name, versions.actors.get(name.toLowerCase()) ?? at, common);
    add(actor);
    relate('related-to', stixIncident.id, actor.id, at, 'the incident is attributed to it');
    relate('targets', actor.id, identity.id, new Date(Math.max(victimAt.getTime(), new Date(String(actor.created)).getTime())));
  }
}

/**
 * An ATT&CK group as ATT&CK itself publishes groups, an `intrusion-set` (one per group,
 * whichever of its aliases the ledger named it by); any other name as a `threat-actor`.
 */
function threatActor(name: string, firstNamed: Date, common: (type: string, key: string, created: Date) => StixObject): StixObject {
  const group = attackGroupsByName().get(name.toLowerCase());
  if (!group) return { ...common('threat-actor', `actor:${name.toLowerCase()}`, firstNamed), name };
  return {
    ...common('intrusion-set', `attack-group:${group.id}`, new Date(ATTACK_RELEASED)), name: group.name,
    ...(group.aliases.length > 0 ? { aliases: group.aliases } : {}),
    external_references: [{ source_name: 'mitre-attack', external_id: group.id, url: group.url }],
  };
}

/** A source URL as an external reference, written as a URI (non-ASCII escaped); none when it is no URL. */
function sourceReference(url: string): { source_name: string; url: string }[] {
  try {
    const parsed = new URL(url);
    return [{ source_name: parsed.hostname || 'source', url: parsed.href }];
  } catch {
    return [];
  }
}
