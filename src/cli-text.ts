import { period, repeatLine } from './presentation/incident-blocks.js';
import type { AuditEntry } from './trust/audit.js';
import { TLP_LEVELS, tlpLabel } from './trust/tlp.js';
import type { MarkingCounts } from './interop/export-markings.js';
import type { Incident, Victim } from './incidents/incident-view.js';
import { formatPlace } from './incidents/places.js';
import type { RepeatVerdict, RepeatVictim } from './incidents/repeat-breach.js';
import type { ReportOutcome } from './incidents/report.js';
import type { SearchPage } from './incidents/search.js';
import { victimVerdict } from './incidents/victim-verdict.js';

// Plain-text output of the command line, for people; `--json` is for programs.

export function victimLine(v: Victim): string {
  const place = formatPlace(v);
  return [v.name, v.kind, place].filter(Boolean).join(' · ');
}


export function incidentLines(i: Incident, indent = '  '): string[] {
  const impact = i.impact.length ? `impact: ${i.impact.join(', ')}` : '';
  const facts = [i.vendor && `vendor: ${i.vendor}`, impact, i.motives.length ? `motives: ${i.motives.join(', ')}` : '',
    i.techniques.length ? `ATT&CK: ${i.techniques.join(', ')}` : '', i.threatActors.length ? `actors: ${i.threatActors.join(', ')}` : '']
    .filter(Boolean);
  return [
    `${indent}${i.reference}  ${period(i)}${i.tlp === 'clear' ? '' : `  ${tlpLabel(i.tlp)}`}  ${i.title}`,
    `${indent}  ${i.summary}`,
    ...(facts.length ? [`${indent}  ${facts.join(' · ')}`] : []),
    ...i.sources.map((s) => `${indent}  ${s}`),
  ];
}

export function searchText(page: SearchPage, windowDays: number): string {
  if (page.hits.length === 0) return `Nothing found for "${page.query}".`;
  const blocks = page.hits.map((h) => {
    const more = h.totalIncidents > h.incidents.length ? ` (showing ${h.incidents.length} of ${h.totalIncidents})` : '';
    const repeat = victimVerdict(h.incidents, windowDays);
    return [`${victimLine(h.victim)} — ${h.totalIncidents} incident${h.totalIncidents === 1 ? '' : 's'}${more}`,
      ...(repeat ? [`  ${repeatLine(repeat)}`] : []),
      ...h.incidents.flatMap((i) => incidentLines(i))].join('\n');
  });
  if (page.nextCursor) blocks.push(`More results: --cursor ${page.nextCursor}`);
  return blocks.join('\n\n');
}

export function verdictText(incident: Incident, v: RepeatVerdict): string {
  if (!v.isRepeat) return `No repeat breach: first incident within ${v.windowDays} days.`;
  const shared = [...v.sharedVendors, ...v.sharedTechniques, ...v.sharedThreatActors];
  return [
    `REPEAT BREACH: ${v.headline}.`,
    ...v.others.map((o) => `  ${o.started.on <= incident.started.on ? 'earlier' : 'later'}: ${o.reference}  ${period(o)}  ${o.title}`),
    ...(shared.length ? [`  shared: ${shared.join(', ')}`] : []),
  ].join('\n');
}

export function reportText(o: ReportOutcome): string {
  if (o.duplicate) {
    const retracted = o.incident.retractedAt ? ' It was retracted since; to record it again, give it another --key.' : '';
    return [
      `Already recorded: this submission is ${o.joined ? `${o.joined.report}, a report of ` : ''}${o.incident.reference} for ${o.victim.name}. Nothing new was stored, no alert.${retracted}`,
      ...incidentLines(o.incident),
    ].join('\n');
  }
  if (o.joined) {
    return [
      `Added as a further report (${o.joined.report}) of ${o.incident.reference} for ${o.victim.name}: the same event (${o.joined.reason}). No new incident, no alert.`,
      ...incidentLines(o.incident),
    ].join('\n');
  }
  return [
    `Recorded ${o.incident.reference} for ${o.victim.name}${o.victimCreated ? ' (new victim)' : ''}.`,
    ...incidentLines(o.incident),
    '',
    verdictText(o.incident, o.verdict),
  ].join('\n');
}

/** Repeat victims in two groups: certain, then possible (only partial dates put them within the window). */
export function repeatsText(windowDays: number, victims: RepeatVictim[]): string {
  if (victims.length === 0) return `No victim has two incidents within ${windowDays} days.`;
  const groups = [
    { heading: `Certain: repeat breaches within ${windowDays} days`, victims: victims.filter((r) => r.certainty === 'certain') },
    { heading: `Possible (partial dates): repeat breaches within ${windowDays} days`, victims: victims.filter((r) => r.certainty === 'possible') },
  ];
  const victimText = (r: RepeatVictim) => [
    `${victimLine(r.victim)} — ${r.incidents.length} incidents within ${windowDays} days`,
    ...r.incidents.map((i) => `  ${i.reference}  ${period(i)}  ${i.title}`),
  ].join('\n');
  return groups.filter((g) => g.victims.length > 0).flatMap((g) => [g.heading, ...g.victims.map(victimText)]).join('\n\n');
}


/** The audit log, one line an entry: when, what, to what, by whom, from where, and the details. */
export function auditText(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty for that period.';
  return entries.map((e) => [
    e.at.toISOString().replace(/\.\d+Z$/, 'Z'), e.action, e.subject,
    `by ${e.who.name}${e.who.userId ? ` (${e.who.platform} ${e.who.workspace ? `${e.who.workspace}/` : ''}${e.who.userId})` : ` (${e.who.platform})`}`,
    ...(e.who.channelId ? [`in ${e.who.channelId}`] : []),
    ...(Object.keys(e.detail).length ? [JSON.stringify(e.detail)] : []),
  ].join('  ')).join('\n');
}

/**
 * Said on standard error when an export run without `--tlp` holds incidents marked above
 * TLP:GREEN (the default exports everything, for backups and round trips); null when none.
 */
export function exportWarning(above: MarkingCounts): string | null {
  const held = TLP_LEVELS.filter((tlp) => (above[tlp] ?? 0) > 0);
  if (held.length === 0) return null;
  const total = held.reduce((n, tlp) => n + above[tlp]!, 0);
  return `note: this export holds ${total} incident${total === 1 ? '' : 's'} marked above TLP:GREEN (${held.map((tlp) => `${above[tlp]} ${tlpLabel(tlp)}`).join(', ')}), `
    + 'since without --tlp it holds everything. Share the file only as those markings allow, or export with --tlp green.';
}
