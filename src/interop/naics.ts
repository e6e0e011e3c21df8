import type { VictimKind } from '../db/schema.js';

// NAICS 2-digit sectors, as the VERIS `victim.industry` code starts.
const SECTORS: Record<string, string> = {
  '11': 'agriculture', '21': 'mining', '22': 'utilities', '23': 'construction', '31': 'manufacturing', '32': 'manufacturing',
  '33': 'manufacturing', '42': 'wholesale trade', '44': 'retail', '45': 'retail', '48': 'transportation', '49': 'transportation',
  '51': 'information', '52': 'finance and insurance', '53': 'real estate', '54': 'professional services', '55': 'management of companies',
  '56': 'administrative services', '61': 'education', '62': 'healthcare', '71': 'entertainment', '72': 'accommodation and food services',
  '81': 'other services', '92': 'public administration',
};

/** '524114' → 'finance and insurance'; unknown or zero codes → null. */
export function sectorFromNaics(code: string | undefined): string | null {
  return code ? SECTORS[code.slice(0, 2)] ?? null : null;
}

/** The kind of victim a NAICS code says, where it says one. */
export function kindFromNaics(code: string | undefined): VictimKind | null {
  if (!code) return null;
  if (code.startsWith('622')) return 'hospital';
  if (code.startsWith('6111')) return 'school-district';
  if (code.startsWith('6113')) return 'university';
  if (code.startsWith('92')) return 'government';
  if (code.startsWith('8131') || code.startsWith('8132') || code.startsWith('8133')) return 'nonprofit';
  return null;
}
