import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { importVeris } from '../../src/interop/veris-import.js';
import { exportStix } from '../../src/interop/stix.js';
import type { StixObject } from '../../src/interop/stix.js';
import { backends, freshDatabase } from '../support/databases.js';
import { INDUSTRY_SECTORS, stixSchemaErrors } from '../support/stix-schemas.js';

const RECORDS = ['../fixtures/vcdb-labelled/incidents', '../fixtures/vcdb'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
const CLI = { platform: 'cli', workspace: null, user: 'analyst' } as const;

// The smallest submission the docs show (docs/command-line.md, "Try it"): no impact, motives,
// techniques, actors or sources, so every list the export might write is empty.
const MINIMAL_REPORT = { victim: { name: 'Odessa, TX' }, startDate: '2020-09', summary: 'Card skimming again', vendor: 'Click2Gov' };
// An ATT&CK group named by one of its aliases (FIN12 is Wizard Spider, G0102).
const GROUP_REPORT = {
  victim: { name: 'Acme Water Board', country: 'US', region: 'OH', kind: 'government', sector: 'water utility' },
  startDate: '2021-03', summary: 'Ryuk ransomware on the billing servers.', impact: ['availability'], motives: ['financial'],
  techniques: ['T1486'], threatActors: ['FIN12'], sources: ['https://news.example.org/acme-water'],
};

// The STIX 2.1 relationship table (spec, "Relationships" of each SDO) for the types breachdesk
// exports; 'related-to', 'derived-from' and 'duplicate-of' hold between any two objects.
const SPEC_RELATIONSHIPS: Record<string, Record<string, string[]>> = {
  identity: { 'located-at': ['location'] },
  'intrusion-set': { 'attributed-to': ['threat-actor'], targets: ['identity', 'location', 'vulnerability'], uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'] },
  'threat-actor': { 'attributed-to': ['identity'], targets: ['identity', 'location', 'vulnerability'], uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'] },
  'attack-pattern': { targets: ['identity', 'location', 'vulnerability'], uses: ['malware', 'tool'] },
};
const COMMON_RELATIONSHIPS = ['related-to', 'derived-from', 'duplicate-of'];
const IDENTITY_CLASSES = ['individual', 'group', 'system', 'organization', 'class', 'unknown'];
// OASIS's own TLP 2.0 extension, which the published TLP marking definitions use.
const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const typeOf = (id: unknown) => String(id).split('--')[0]!;

/** Paths of every empty list in a JSON value: STIX forbids them (omit the property instead). */
function emptyLists(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => emptyLists(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => emptyLists(v, `${at}.${k}`));
  return [];
}

describe.each(backends)('STIX 2.1 export against the OASIS schemas on %s', (backend) => {
  let databases: LedgerDatabase[] = [];
  const emptyLedger = async (): Promise<Ledger> => {
    const database = await freshDatabase(backend);
    databases.push(database);
    return createLedger(database.db, { windowDays: 365 });
  };
  beforeEach(() => (databases = []));
  afterEach(async () => {
    for (const d of databases) await d.close();
  });

  it('GIVEN the demo, the VCDB fixtures and the minimal report THEN every object is schema-valid, with no empty list, custom properties only through our extension, vocabularies and relationships as the spec defines them', async () => {
    const ledger = await emptyLedger();
    await seedDemo(ledger.db, { windowDays: 365 });
    expect((await importVeris(ledger, RECORDS)).invalid).toEqual([]);
    const minimal = await ledger.report(MINIMAL_REPORT, CLI, { alerts: false });
    await ledger.report(GROUP_REPORT, CLI, { alerts: false });
    const bundle = await exportStix(ledger);
    const byId = new Map(bundle.objects.map((o) => [o.id, o]));
    const ofType = (type: string) => bundle.objects.filter((o: StixObject) => o.type === type);

    expect(stixSchemaErrors(bundle)).toEqual([]);
    expect(emptyLists(bundle)).toEqual([]);
    expect(ofType('incident').map((o) => String(o.name))).toContainEqual(expect.stringMatching(new RegExp(`^${minimal.incident.reference}:`)));
    expect(ofType('incident').length).toBeGreaterThan(22 + 10);

    const definitions = ofType('extension-definition');
    expect(definitions).toHaveLength(1);
    const [ours] = definitions;
    expect(ours).toMatchObject({ extension_types: ['property-extension'] });
    expect(byId.get(String(ours!.created_by_ref))?.type).toBe('identity');

    for (const o of bundle.objects) {
      // Custom properties as the 2.1 way has them: inside an extension, never as top-level x_ properties.
      expect(Object.keys(o).filter((k) => k.startsWith('x_')), o.id).toEqual([]);
      for (const [key, extension] of Object.entries((o.extensions as Record<string, { extension_type: string }> | undefined) ?? {})) {
        expect(key === TLP_EXTENSION || byId.get(key)?.type === 'extension-definition', `${o.id} uses ${key}`).toBe(true);
        expect(extension.extension_type).toBe('property-extension');
      }
      for (const ref of [o.created_by_ref, o.source_ref, o.target_ref, ...((o.object_marking_refs as string[] | undefined) ?? [])].filter(Boolean)) {
        expect(byId.has(String(ref)), `${o.id} refers to ${String(ref)}`).toBe(true);
      }
      if (typeof o.modified === 'string') expect(o.modified >= String(o.created), `${o.id} modified before created`).toBe(true);
      if (o.type === 'identity') {
        expect(IDENTITY_CLASSES).toContain(o.identity_class);
        for (const sector of (o.sectors as string[] | undefined) ?? []) expect(INDUSTRY_SECTORS, `${String(o.name)}: ${sector}`).toContain(sector);
      }
      if (o.type === 'relationship' && !COMMON_RELATIONSHIPS.includes(String(o.relationship_type))) {
        const [source, target, type] = [typeOf(o.source_ref), typeOf(o.target_ref), String(o.relationship_type)];
        expect(SPEC_RELATIONSHIPS[source]?.[type] ?? [], `${source} ${type} ${target}`).toContain(target);
      }
    }

    // Sectors in the vocabulary's own spelling, mapped from the ledger's words.
    const victim = (name: string) => ofType('identity').find((o) => o.name === name);
    expect(victim('City of Odessa')?.sectors).toEqual(['government-local']);
    expect(victim('Acme Water Board')?.sectors).toEqual(expect.arrayContaining(['water', 'utilities']));
    // ATT&CK groups are intrusion sets (as ATT&CK itself publishes them), named by their ATT&CK name.
    const group = ofType('intrusion-set').find((o) => o.name === 'Wizard Spider');
    expect(group?.external_references).toEqual([expect.objectContaining({ source_name: 'mitre-attack', external_id: 'G0102' })]);
    expect(ofType('threat-actor').map((o) => o.name)).not.toContain('FIN12');
    expect(ofType('relationship').some((r) => r.source_ref === group?.id && r.relationship_type === 'targets' && r.target_ref === victim('Acme Water Board')?.id)).toBe(true);
  });
});
