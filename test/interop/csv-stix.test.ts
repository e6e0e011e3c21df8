import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { CSV_COLUMNS, exportCsv, importCsv } from '../../src/interop/csv.js';
import { exportStix } from '../../src/interop/stix.js';
import type { StixObject } from '../../src/interop/stix.js';
import { EXTENSION_ID } from '../../src/interop/stix-extension.js';
import { STIX_TLP_MARKINGS } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';

const typeOf = (id: unknown) => String(id).split('--')[0]!;

describe.each(backends)('CSV and STIX on %s', (backend) => {
  let databases: LedgerDatabase[] = [];
  const ledgerOn = async (seed: boolean): Promise<Ledger> => {
    const database = await freshDatabase(backend);
    databases.push(database);
    const ledger = createLedger(database.db, { windowDays: 365 });
    if (seed) await seedDemo(database.db, { windowDays: 365 });
    return ledger;
  };
  beforeEach(() => (databases = []));
  afterEach(async () => {
    for (const d of databases) await d.close();
  });

  it('GIVEN the demo ledger exported to CSV and imported into an empty one THEN the second export is identical, and a re-import skips every row', async () => {
    const source = await ledgerOn(true);
    const first = await exportCsv(source.db);
    expect(first.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    const target = await ledgerOn(false);
    expect(await importCsv(target, first)).toMatchObject({ imported: 22, updated: 0, skipped: 0, invalid: [] });
    expect(await exportCsv(target.db)).toBe(first);
    expect(await importCsv(target, first)).toMatchObject({ imported: 0, skipped: 22 });
    // A file written before exports ended records with CRLF reads the same, into a third ledger too.
    const lf = first.replaceAll('\r\n', '\n');
    expect(await importCsv(target, lf)).toMatchObject({ imported: 0, skipped: 22, invalid: [] });
    const third = await ledgerOn(false);
    expect(await importCsv(third, lf)).toMatchObject({ imported: 22, invalid: [] });
    expect(await exportCsv(third.db)).toBe(first);
    expect((await target.repeats()).map((r) => r.victim.name)).toContain('City of Odessa');
  });

  it('GIVEN any export THEN every record ends with CRLF (RFC 4180), and a line break inside a cell is kept as stored', async () => {
    const ledger = await ledgerOn(false);
    await ledger.report({ victim: { name: 'Harbour Pilots Guild', isNew: true }, startDate: '2024-05', summary: 'Mailbox takeover.', description: 'First line\nsecond line' },
      { platform: 'cli', workspace: null, user: 'analyst' }, { alerts: false });
    const csv = await exportCsv(ledger.db);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv).toContain('"First line\nsecond line"');
  });

  it('GIVEN bad rows THEN each is reported by row and column, the good rows are imported, nothing half-written', async () => {
    const ledger = await ledgerOn(false);
    const header = CSV_COLUMNS.join(',');
    const good: Record<string, string> = {
      victim: 'Acme Water Board', country: 'US', start_date: '2021-03', summary: 'Ransomware on billing',
      confidentiality: 'false', integrity: 'false', availability: 'true', techniques: 'T1486',
    };
    const row = (over: Record<string, string>) => CSV_COLUMNS.map((c) => JSON.stringify({ ...good, ...over }[c] ?? '')).join(',');
    const text = [header, row({}), row({ start_date: '2999-01', country: 'ZZ' }), row({ sources: 'ftp://nope', techniques: 'T9999' }), row({ victim: '' })].join('\n');
    const summary = await importCsv(ledger, text);
    expect(summary.imported).toBe(1);
    expect(summary.invalid).toEqual([
      { file: 'row 3', reason: expect.stringMatching(/^country: .*; start_date: .*future/) as string },
      { file: 'row 4', reason: expect.stringMatching(/techniques: .*T9999.*; sources: .*http\(s\)|sources: .*; techniques: /) as string },
      { file: 'row 5', reason: expect.stringMatching(/^victim: Victim name is required/) as string },
    ]);
    expect((await ledger.db.selectFrom('incidents').select('id').execute())).toHaveLength(1);
    expect((await importCsv(ledger, 'victim,summary\nx,y')).invalid[0]).toMatchObject({ file: 'header', reason: expect.stringMatching(/missing columns: .*start_date/) as string });
  });

  it('GIVEN the demo ledger THEN a valid STIX 2.1 bundle: required properties, resolvable references, stable ids', async () => {
    const ledger = await ledgerOn(true);
    const bundle = await exportStix(ledger);
    expect(bundle).toMatchObject({ type: 'bundle', id: expect.stringMatching(/^bundle--[0-9a-f-]{36}$/) as string });
    const byId = new Map(bundle.objects.map((o) => [o.id, o]));
    expect(byId.size).toBe(bundle.objects.length);
    const required: Record<string, string[]> = {
      identity: ['name'], location: [], incident: ['name'], 'attack-pattern': ['name'], 'threat-actor': ['name'], 'intrusion-set': ['name'],
      relationship: ['relationship_type', 'source_ref', 'target_ref'], 'marking-definition': ['name', 'extensions'],
      'extension-definition': ['name', 'schema', 'version', 'extension_types', 'created_by_ref'],
    };
    const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
    for (const o of bundle.objects) {
      expect(Object.keys(required)).toContain(o.type);
      for (const p of required[o.type]!) expect(o[p], `${o.type}.${p}`).toBeTruthy();
      // TLP marking definitions are OASIS's own objects, with their published ids; they are not versioned.
      if (o.type === 'marking-definition') {
        expect(Object.values(STIX_TLP_MARKINGS)).toContain(o.id);
        continue;
      }
      // Our extension definition has one fixed id, as consumers key extensions by it; everything else is named by what it is.
      if (o.type === 'extension-definition') expect(o.id).toBe(EXTENSION_ID);
      else expect(o.id).toMatch(new RegExp(`^${o.type}--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
      expect(o.spec_version).toBe('2.1');
      expect(String(o.created)).toMatch(timestamp);
      expect(String(o.modified)).toMatch(timestamp);
      expect(o.object_marking_refs, `marking of ${o.id}`).toHaveLength(1);
      expect(byId.get((o.object_marking_refs as string[])[0]!)?.type).toBe('marking-definition');
      for (const p of required[o.type]!) expect(o[p], `${o.type}.${p}`).toBeTruthy();
      if (o.type === 'location') expect(o.country ?? o.region ?? o.latitude).toBeTruthy();
      if (o.type === 'relationship') {
        expect(byId.has(String(o.source_ref)), `source of ${o.id}`).toBe(true);
        expect(byId.has(String(o.target_ref)), `target of ${o.id}`).toBe(true);
      }
      for (const ref of (o.external_references as { source_name?: string; url?: string; external_id?: string }[] | undefined) ?? []) {
        expect(ref.source_name).toBeTruthy();
        expect(ref.url ?? ref.external_id).toBeTruthy();
      }
    }
    const types = (type: string) => bundle.objects.filter((o: StixObject) => o.type === type);
    expect(types('incident')).toHaveLength(22);
    expect(types('attack-pattern').map((o) => (o.external_references as { external_id: string }[])[0]!.external_id)).toContain('T1190');
    expect(new Set(types('relationship').map((o) => o.relationship_type))).toEqual(new Set(['related-to', 'targets', 'located-at']));
    const odessa = types('identity').find((o) => o.name === 'City of Odessa')!;
    expect(types('relationship').filter((r) => r.relationship_type === 'related-to' && r.target_ref === odessa.id).map((r) => typeOf(r.source_ref))).toEqual(['incident', 'incident']);
    expect(types('relationship').filter((r) => r.relationship_type === 'targets').map((r) => `${typeOf(r.source_ref)} ${typeOf(r.target_ref)}`)).not.toContain('incident identity');
    expect(await exportStix(ledger)).toEqual(bundle);
    expect((await exportStix(ledger, { victim: 'City of Odessa' })).objects.filter((o) => o.type === 'incident')).toHaveLength(2);
    expect((await exportStix(ledger, { since: '2020' })).objects.filter((o) => o.type === 'incident').length).toBeLessThan(22);
    await expect(exportStix(ledger, { victim: 'Odessa' })).rejects.toThrow(/could be City of Odessa/);
  });

  it('GIVEN an AMBER incident THEN STIX and CSV carry its marking, its victim takes the stricter one, and --tlp green leaves it out', async () => {
    const ledger = await ledgerOn(true);
    const { incident } = await ledger.report({ victim: { id: 1, name: 'City of Odessa' }, startDate: '2021-02', summary: 'Phishing at the utility billing office.', tlp: 'TLP:AMBER' },
      { platform: 'cli', workspace: null, user: 'analyst' }, { alerts: false });
    const bundle = await exportStix(ledger);
    const byId = new Map(bundle.objects.map((o) => [o.id, o]));
    const markingOf = (o: StixObject | undefined) => (byId.get((o?.object_marking_refs as string[])[0]!) as { name?: string } | undefined)?.name;
    const stixIncident = bundle.objects.find((o) => o.type === 'incident' && String(o.name).startsWith(incident.reference));
    expect(markingOf(stixIncident)).toBe('TLP:AMBER');
    expect(markingOf(bundle.objects.find((o) => o.type === 'identity' && o.name === 'City of Odessa'))).toBe('TLP:AMBER');
    expect(markingOf(bundle.objects.find((o) => o.type === 'identity' && o.name === 'Odesa International Airport'))).toBe('TLP:CLEAR');
    const green = await exportStix(ledger, { upTo: 'green' });
    expect(green.objects.some((o) => String(o.name).startsWith(incident.reference))).toBe(false);
    expect(green.objects.filter((o) => o.type === 'incident')).toHaveLength(22);

    const csv = await exportCsv(ledger.db);
    expect(csv.split('\r\n')[0]!.split(',').at(-1)).toBe('tlp');
    expect(csv.split('\r\n').find((line) => line.startsWith(`${incident.reference},`))).toMatch(/,TLP:AMBER$/);
    expect(await exportCsv(ledger.db, { upTo: 'green' })).not.toContain(incident.reference);
  });
});
