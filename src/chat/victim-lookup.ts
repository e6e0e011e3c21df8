import type { Victim } from '../incidents/incident-view.js';
import type { Services } from '../services.js';
import type { Viewer } from '../trust/tlp.js';

/** What a typed victim (`City of Odessa`, `Odessa, TX`, `#12`) names in the ledger. */
export type VictimLookup =
  | { kind: 'one'; victim: Victim }
  | { kind: 'several'; candidates: Victim[] }
  | { kind: 'none' };

/** Resolves a victim the way reporting does; `#12` is victim 12. */
export async function lookUpVictim(services: Services, typed: string, viewer?: Viewer): Promise<VictimLookup> {
  const id = /^#(\d{1,9})$/.exec(typed.trim())?.[1];
  if (id) {
    const found = await services.ledger.victim(Number(id), { offset: 0, limit: 0 }, viewer);
    return found ? { kind: 'one', victim: found.victim } : { kind: 'none' };
  }
  const resolution = await services.ledger.resolveVictim({ name: typed }, viewer);
  if (resolution.status === 'matched') {
    // Named exactly, yet hidden from this viewer: not even its place is told.
    const visible = await services.ledger.victim(resolution.victim.id, { offset: 0, limit: 0 }, viewer);
    return visible ? { kind: 'one', victim: resolution.victim } : { kind: 'none' };
  }
  if (resolution.status === 'uncertain') return { kind: 'several', candidates: resolution.candidates };
  return { kind: 'none' };
}
