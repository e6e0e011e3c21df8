import type { IncidentOutline } from './incident-view.js';
import { daysBetween } from './partial-date.js';
import { verdictOf } from './repeat-breach.js';
import type { RepeatVerdict } from './repeat-breach.js';
import { certaintyOf } from './repeat-window.js';
import type { Certainty } from './repeat-window.js';

/** A victim's repeat status as a lookup shows it: its newest repeat, certain before possible. */
export interface VictimVerdict<T extends IncidentOutline = IncidentOutline> {
  certainty: Certainty;
  /** The incidents of that repeat within the window, oldest first. */
  incidents: T[];
  /** Days from the first's start to the last's (0 when they overlap). */
  daysApart: number;
  /** The verdict on the newest of them, as an alert on it says it. */
  verdict: RepeatVerdict<T>;
}

/**
 * The victim's repeat status over the incidents given (those a viewer may see), by the
 * same rule as alerts (repeat-window.ts): the newest incident with another within the
 * window; a certain repeat anywhere before a possible one. Null when none is a repeat.
 *
 * @example victimVerdict([odessa2020, odessa2019], 365) // certain: INC-2019-0001 → INC-2020-0001, 233 days
 */
export function victimVerdict<T extends IncidentOutline>(incidents: readonly T[], windowDays: number): VictimVerdict<T> | null {
  const newestFirst = [...incidents].sort((a, b) => b.started.on.localeCompare(a.started.on) || b.id - a.id);
  // The newest incident with a certain repeat, else the newest with a possible one. The
  // verdict is worked out for that one alone: for each incident it cost the whole list
  // again (162 incidents: 106 ms on the thread that answers Slack).
  let chosen: { incident: T; others: T[] } | undefined;
  for (const incident of newestFirst) {
    const others = newestFirst.filter((o) => o !== incident && certaintyOf(incident, o, windowDays) !== null).reverse();
    if (others.length === 0) continue;
    const certain = others.some((o) => certaintyOf(incident, o, windowDays) === 'certain');
    if (certain) {
      chosen = { incident, others };
      break;
    }
    chosen ??= { incident, others };
  }
  if (!chosen) return null;
  const verdict = verdictOf(chosen.incident, chosen.others, windowDays);
  // A certain repeat names only the incidents surely in the window with it.
  const members = verdict.certainty === 'certain' ? chosen.others.filter((o) => !verdict.possibleOthers.includes(o.reference)) : chosen.others;
  const chain = [...members, chosen.incident].sort((a, b) => a.started.on.localeCompare(b.started.on) || a.id - b.id);
  const first = chain[0]!;
  const last = chain[chain.length - 1]!;
  return {
    certainty: verdict.certainty!,
    incidents: chain,
    daysApart: Math.max(0, daysBetween(first.startedUntil, last.started.on)),
    verdict,
  };
}
