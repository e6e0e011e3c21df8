import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { importVeris } from '../../src/interop/veris-import.js';
import { exportStix } from '../../src/interop/stix.js';
import type { StixObject } from '../../src/interop/stix.js';
import { backends, freshDatabase } from '../support/databases.js';

// A STIX consumer keeps one version per id, the one with the latest `modified`: an incident
// changed in the ledger must come out as the same id with a later `modified`, or the
// consumer never sees the change.
const VCDB_RECORD = fileURLToPath(new URL('../fixtures/vcdb-labelled/incidents/057F49AC-11F1-4BEB-9006-F71229AD1F32.json', import.meta.url));
const ANALYST = { platform: 'cli', workspace: null, userId: null, name: 'analyst' } as const;
const SUBMISSION = {
  victim: { name: 'Acme Water Board', country: 'US', region: 'OH' }, startDate: '2021-03',
  summary: 'Ransomware on the billing servers.', impact: ['availability'], techniques: ['T1486'],
};

const incidentNamed = (objects: StixObject[], reference: string) => objects.find((o) => o.type === 'incident' && String(o.name).startsWith(`${reference}:`));
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe.each(backends)('STIX versions on %s', (backend) => {
  let databases: LedgerDatabase[] = [];
  let dir: string | undefined;
  const emptyLedger = async (): Promise<Ledger> => {
    const database = await freshDatabase(backend);
    databases.push(database);
    return createLedger(database.db, { windowDays: 365 });
  };
  beforeEach(() => (databases = []));
  afterEach(async () => {
    for (const d of databases) await d.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN an incident edited THEN the same id comes out with a later modified, the same created and the new revision; unchanged it comes out identical', async () => {
    const ledger = await emptyLedger();
    const { incident } = await ledger.report(SUBMISSION, { platform: 'cli', workspace: null, user: 'analyst' }, { alerts: false });
    const first = await exportStix(ledger);
    expect(await exportStix(ledger)).toEqual(first);
    const before = incidentNamed(first.objects, incident.reference)!;
    expect(before.modified).toBe(before.created);

    await pause();
    await ledger.edit(incident.reference, { ...SUBMISSION, summary: 'Ryuk ransomware on the billing servers.' }, ANALYST);
    const second = await exportStix(ledger);
    const after = incidentNamed(second.objects, incident.reference)!;
    expect(after.id).toBe(before.id);
    expect(after.created).toBe(before.created);
    expect(String(after.modified) > String(before.modified)).toBe(true);
    expect(after.description).toMatch(/^Ryuk/);
    expect(Object.values(after.extensions as Record<string, { revision?: number }>).find((e) => e.revision)?.revision).toBe(2);
    expect(second.id).not.toBe(first.id);
    // What did not change keeps its version: the victim and the relationships.
    const unchanged = (b: typeof first) => b.objects.filter((o) => o.type !== 'incident');
    expect(unchanged(second)).toEqual(unchanged(first));
  });

  it('GIVEN a VERIS record re-imported with a change THEN its incident comes out with a later modified; re-imported unchanged, the same', async () => {
    const ledger = await emptyLedger();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-stix-'));
    const file = path.join(dir, path.basename(VCDB_RECORD));
    await copyFile(VCDB_RECORD, file);
    expect((await importVeris(ledger, [dir])).imported).toBe(1);
    const first = (await exportStix(ledger)).objects.find((o) => o.type === 'incident')!;

    await pause();
    expect((await importVeris(ledger, [dir])).skipped).toBe(1);
    expect((await exportStix(ledger)).objects.find((o) => o.type === 'incident')).toEqual(first);

    const record = JSON.parse(await readFile(file, 'utf8')) as { summary: string };
    await writeFile(file, JSON.stringify({ ...record, summary: `${record.summary} (updated)` }));
    expect((await importVeris(ledger, [dir])).updated).toBe(1);
    const second = (await exportStix(ledger)).objects.find((o) => o.type === 'incident')!;
    expect(second.id).toBe(first.id);
    expect(String(second.modified) > String(first.modified)).toBe(true);
    expect(second.description).toMatch(/\(updated\)/);
  });

  it('GIVEN another incident merged into one THEN the one kept comes out with a later modified and the other\'s sources', async () => {
    const ledger = await emptyLedger();
    const reporter = { platform: 'cli', workspace: null, user: 'analyst' } as const;
    const kept = (await ledger.report(SUBMISSION, reporter, { alerts: false })).incident;
    const other = (await ledger.report({ ...SUBMISSION, startDate: '2021-04', summary: 'Billing outage at the water board.', sources: ['https://news.example.org/acme'], newIncident: true },
      reporter, { alerts: false })).incident;
    expect(other.reference).not.toBe(kept.reference);
    const before = incidentNamed((await exportStix(ledger)).objects, kept.reference)!;

    await pause();
    await ledger.merge(kept.reference, other.reference, ANALYST, () => true);
    const after = incidentNamed((await exportStix(ledger)).objects, kept.reference)!;
    expect(after.id).toBe(before.id);
    expect(String(after.modified) > String(before.modified)).toBe(true);
    expect(after.external_references).toContainEqual(expect.objectContaining({ url: 'https://news.example.org/acme' }));
  });
});
