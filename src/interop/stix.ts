import { v5 as uuidv5 } from 'uuid';
import { UserError } from '../errors.js';
import { attackGroupsByName, attackTechnique } from '../incidents/attack-catalogue.js';
import { loadIncidents, loadVictims } from '../incidents/incident-view.js';
import type { Incident, Victim } from '../incidents/incident-view.js';
import type { Ledger } from '../ledger.js';
import { formatPartialDate, parsePartialDate } from '../incidents/partial-date.js';
import { countryName } from '../incidents/places.js';
import type { Tlp } from '../db/schema.js';
import { OPERATOR, STIX_TLP_MARKINGS, tlpLabel, tlpRank, visibleTo } from '../trust/tlp.js';

/** breachdesk's namespace for UUIDv5 ids: the same thing gets the same STIX id in every export. */
const NAMESPACE = '6f1d3c2e-8a4b-5c7d-9e0f-1a2b3c4d5e6f';

export type StixObject = Record<string, unknown> & { type: string; id: string };
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

const stixId = (type: string, key: string) => `${type}--${uuidv5(`${type}:${key}`, NAMESPACE)}`;

/**
 * The ledger (or one victim's incidents, or those started since a date) as a STIX
 * 2.1 bundle: victims as `identity` with a `location`, incidents as `incident`,
 * techniques as `attack-pattern`, threat actors as `threat-actor`, tied by
 * `relationship` objects (targets, attributed-to, uses, located-at), sources as
 * `external_references`. Ids are UUIDv5 of what they name, so re-exports are stable.
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
    const victims = new Map((await loadVictims(ledger.db, [...new Set(incidents.map((x) => x.victimId))])).map((v) => [v.id, v]));
    for (const incident of incidents) describeIncident(incident, victims.get(incident.victimId)!, add);
  }
  for (const [id, tlp] of markings) objects.set(id, { ...objects.get(id)!, object_marking_refs: [STIX_TLP_MARKINGS[tlp]] });
  for (const tlp of new Set(markings.values())) objects.set(STIX_TLP_MARKINGS[tlp], tlpMarkingDefinition(tlp));
  const sorted = [...objects.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { type: 'bundle', id: stixId('bundle', sorted.map((o) => o.id).join(',')), objects: sorted };
}

/** The TLP 2.0 marking definition as OASIS publishes it, so every reference resolves inside the bundle. */
function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition', spec_version: '2.1', id: STIX_TLP_MARKINGS[tlp], created: '2022-10-01T00:00:00.000Z', name: tlpLabel(tlp),
    extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

function describeIncident(incident: Incident, victim: Victim, addMarked: (o: StixObject, tlp: Tlp) => void): void {
  const add = (o: StixObject) => addMarked(o, incident.tlp);
  const at = incident.reportedAt.toISOString();
  const common = (type: string, key: string) => ({ type, spec_version: '2.1', id: stixId(type, key), created: at, modified: at });
  const relate = (type: string, source: string, target: string) =>
    add({ ...common('relationship', `${type}:${source}:${target}`), relationship_type: type, source_ref: source, target_ref: target });

  const identity = { ...common('identity', `victim:${victim.id}`), name: victim.name, identity_class: victim.unattributed ? 'unknown' : 'organization',
    ...(victim.sector ? { sectors: [slug(victim.sector)] } : {}), ...(victim.kind ? { x_breachdesk_kind: victim.kind } : {}) };
  add(identity);
  if (victim.country) {
    const location = { ...common('location', `victim:${victim.id}`), name: [victim.city, victim.region, countryName(victim.country)].filter(Boolean).join(', '),
      country: victim.country, ...(victim.region ? { administrative_area: victim.region } : {}), ...(victim.city ? { city: victim.city } : {}) };
    add(location);
    relate('located-at', identity.id, location.id);
  }

  const date = (d: Incident['ended']) => (d ? formatPartialDate(d) : undefined);
  const stixIncident = {
    ...common('incident', `incident:${incident.reference}`),
    name: `${incident.reference}: ${incident.title}`,
    description: [incident.summary, incident.description].filter(Boolean).join('\n\n'),
    external_references: [
      { source_name: 'breachdesk', external_id: incident.reference },
      ...incident.sources.map((url) => ({ source_name: hostOf(url), url })),
      ...(incident.externalId ? [{ source_name: incident.externalId.split(':')[0] ?? 'import', external_id: incident.externalId }] : []),
    ],
    // Incident is a stub object in STIX 2.1: the ledger's facts travel as custom properties.
    x_breachdesk_started: date(incident.started),
    ...(incident.ended ? { x_breachdesk_ended: date(incident.ended) } : {}),
    ...(incident.discovered ? { x_breachdesk_discovered: date(incident.discovered) } : {}),
    ...(incident.disclosed ? { x_breachdesk_disclosed: date(incident.disclosed) } : {}),
    ...(incident.vendor ? { x_breachdesk_vendor: incident.vendor } : {}),
    x_breachdesk_impact: incident.impact,
    x_breachdesk_motives: incident.motives,
    ...(incident.recordsAffected !== null ? { x_breachdesk_records_affected: incident.recordsAffected } : {}),
  };
  add(stixIncident);
  relate('targets', stixIncident.id, identity.id);

  for (const id of incident.techniques) {
    const technique = attackTechnique(id);
    const pattern = { ...common('attack-pattern', `technique:${id}`), name: technique?.name ?? id,
      external_references: [{ source_name: 'mitre-attack', external_id: id, ...(technique ? { url: technique.url } : {}) }] };
    // ATT&CK is public knowledge, whatever the incident's marking.
    addMarked(pattern, 'clear');
    relate('uses', stixIncident.id, pattern.id);
  }
  for (const name of incident.threatActors) {
    const group = attackGroupsByName().get(name.toLowerCase());
    const actor = { ...common('threat-actor', `actor:${name.toLowerCase()}`), name,
      ...(group ? { aliases: group.aliases, external_references: [{ source_name: 'mitre-attack', external_id: group.id, url: group.url }] } : {}) };
    add(actor);
    relate('attributed-to', stixIncident.id, actor.id);
    relate('targets', actor.id, identity.id);
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'source';
  }
}
