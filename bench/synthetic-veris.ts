import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { random, victimName } from './synthetic-ledger.js';
import type { Named } from './synthetic-ledger.js';

// VERIS 1.3 incident documents as VCDB publishes them (one JSON file each), made up:
// `count` incidents of about 0.7 × count victims, so that a third are a victim's second
// or later incident, and one in 30 is an event recorded twice (another incident_id,
// the same dates and summary) — the kinds of record the importer decides about.

const ACTIONS = [
  { hacking: { variety: ['SQLi'], vector: ['Web application'] } },
  { malware: { variety: ['Ransomware'], vector: ['Email attachment'] } },
  { social: { variety: ['Phishing'], vector: ['Email'] } },
  { hacking: { variety: ['Use of stolen creds'], vector: ['VPN'] } },
  { error: { variety: ['Misdelivery'], vector: ['Unknown'] } },
];
const MOTIVES = ['Financial', 'Espionage', 'Ideology', 'Grudge', 'Unknown'];

export interface SyntheticVeris { dir: string; files: number }

/** Writes the documents to a new folder under the system's temporary one. */
export async function writeSyntheticVeris(count: number, seed: number): Promise<SyntheticVeris> {
  const r = random(seed);
  const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-veris-'));
  const victims: Named[] = Array.from({ length: Math.max(1, Math.round(count * 0.7)) }, () => victimName(r));
  let previous: Record<string, unknown> | null = null;
  for (let n = 0; n < count; n++) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const doc: Record<string, unknown> = previous && r.next() < 1 / 30
      ? { ...previous, incident_id: id, reference: `https://news.example/${n}` }
      : incident(r, id, n < victims.length ? victims[n]! : r.zipf(victims, 1.5), n);
    previous = doc;
    await writeFile(path.join(dir, `${id}.json`), JSON.stringify(doc));
  }
  return { dir, files: count };
}

function incident(r: ReturnType<typeof random>, id: string, victim: Named, n: number): Record<string, unknown> {
  const year = r.int(2012, 2025);
  const month = r.int(1, 12);
  return {
    schema_version: '1.3.7', incident_id: id, source_id: 'vcdb', reference: `https://news.example/${n}`,
    summary: `${victim.name} reported a breach of its systems in ${year}; records of its ${victim.sector} work were exposed.`,
    victim: { victim_id: victim.name, country: ['US'], state: victim.region, industry: '921190', employee_count: r.pick(['1 to 10', '101 to 1000', 'Unknown']) },
    timeline: { incident: { year, month, ...(r.next() < 0.5 ? { day: r.int(1, 28) } : {}) } },
    action: r.pick(ACTIONS),
    actor: { external: { variety: ['Organized crime'], motive: [r.pick(MOTIVES)], region: ['000000'] } },
    attribute: { confidentiality: { data_total: r.int(10, 500_000), data_disclosure: 'Yes' } },
  };
}
