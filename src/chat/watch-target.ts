import { WATCH_KINDS } from '../db/schema.js';
import type { WatchKind } from '../db/schema.js';
import { attackTechnique } from '../incidents/attack-catalogue.js';
import { canonicalRegion } from '../incidents/places.js';
import { UserError } from '../errors.js';

/** `vendor Click2Gov` → kind vendor, text Click2Gov; `City of Odessa` → a victim. */
export function splitWatchText(text: string): { kind: WatchKind; text: string } {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const kind = first.toLowerCase() as WatchKind;
  if (WATCH_KINDS.includes(kind) && rest.length > 0) return { kind, text: rest.join(' ') };
  return { kind: 'victim', text: text.trim() };
}

/** The normalized value and label of a non-victim watch target, as alerts match it. */
export function watchValue(kind: Exclude<WatchKind, 'victim'>, text: string): { value: string; label: string } {
  const label = text.trim();
  if (kind === 'technique') {
    const technique = attackTechnique(label);
    if (!technique) throw new UserError(`"${label.slice(0, 20)}" is not a MITRE ATT&CK Enterprise technique id (such as T1190).`, 'unknown_technique');
    return { value: technique.id, label: `${technique.id} ${technique.name}` };
  }
  if (kind === 'region') return { value: canonicalRegion(label, null).toLowerCase(), label };
  return { value: label.toLowerCase(), label };
}
