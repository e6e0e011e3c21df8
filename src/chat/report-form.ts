import { MOTIVES } from '../db/schema.js';
import type { FieldError } from '../errors.js';
import type { Incident, Victim } from '../incidents/incident-view.js';
import { formatPartialDate } from '../incidents/partial-date.js';
import type { PartialDate } from '../incidents/partial-date.js';
import { TLP_LEVELS, TLP_MEANING, tlpLabel } from '../trust/tlp.js';
import type { Tlp } from '../trust/tlp.js';
import { countryName, formatPlace } from '../incidents/places.js';
import { IMPACTS, LIMITS, incidentSubmission, fieldErrors } from '../incidents/submission.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import type { Choice, Form, FormField, FormValues } from './form.js';

/** The answer field of the "did you mean?" question: `#12` for a victim, `new` for a new one. */
export const VICTIM_CHOICE = 'victimChoice';
/** The answer field of "is this INC-…?": the incident's reference, or `new` for a different incident. */
export const EVENT_CHOICE = 'eventChoice';

const DATE_HINT = 'YYYY, YYYY-MM or YYYY-MM-DD';

/**
 * The report form: every field of an incident. Field ids are the submission's own
 * names where they map one to one, so errors land on the right field.
 */
export function reportForm(prefill: { victim?: Victim; name?: string; tlp?: Tlp; summary?: string; sources?: string[] } = {}): Form {
  const v = prefill.victim;
  const field = (f: FormField): FormField => f;
  return {
    id: 'report',
    title: 'Report an incident',
    submitLabel: 'Record incident',
    state: v ? `victim:${v.id}` : undefined,
    fields: [
      field({ id: 'victim', label: 'Victim', kind: 'short', required: true, maxLength: LIMITS.name, suggest: 'victims',
        placeholder: 'City of Odessa', initial: v?.name ?? prefill.name, hint: 'Who was breached; pick a known victim or type a new name' }),
      field({ id: 'country', label: 'Country', kind: 'short', required: false, maxLength: 60, placeholder: 'US',
        initial: v?.country ?? undefined, hint: 'ISO code such as US or UA, or the country name' }),
      field({ id: 'region', label: 'Region or state', kind: 'short', required: false, maxLength: LIMITS.place, placeholder: 'TX', initial: v?.region ?? undefined }),
      field({ id: 'city', label: 'City', kind: 'short', required: false, maxLength: LIMITS.place, placeholder: 'Odessa', initial: v?.city ?? undefined }),
      field({ id: 'startDate', label: 'Started', kind: 'date', required: true, placeholder: '2020-04', hint: DATE_HINT }),
      field({ id: 'endDate', label: 'Ended', kind: 'date', required: false, placeholder: '2020-06', hint: DATE_HINT }),
      field({ id: 'discoveredDate', label: 'Discovered', kind: 'date', required: false, hint: DATE_HINT }),
      field({ id: 'disclosedDate', label: 'Disclosed', kind: 'date', required: false, hint: DATE_HINT }),
      field({ id: 'title', label: 'Title', kind: 'short', required: false, maxLength: LIMITS.title, placeholder: 'Click2Gov payment portal skimmed' }),
      field({ id: 'summary', label: 'Summary', kind: 'long', required: true, maxLength: LIMITS.summary, placeholder: 'What happened, in a sentence or two', initial: prefill.summary }),
      field({ id: 'description', label: 'Description', kind: 'long', required: false, maxLength: LIMITS.description }),
      field({ id: 'vendor', label: 'Affected system or vendor', kind: 'short', required: false, maxLength: LIMITS.vendor, placeholder: 'Click2Gov' }),
      field({ id: 'impact', label: 'Impact', kind: 'checkboxes', required: false, options: IMPACTS.map((i) => choice(i, capitalize(i))) }),
      field({ id: 'motives', label: 'Motives', kind: 'multiselect', required: false, options: MOTIVES.map((m) => choice(m, capitalize(m))) }),
      field({ id: 'techniques', label: 'ATT&CK techniques', kind: 'multiselect', required: false, suggest: 'techniques', hint: 'Technique ids such as T1190' }),
      field({ id: 'threatActors', label: 'Threat actors', kind: 'short', required: false, maxLength: 500, hint: 'Separated by commas' }),
      field({ id: 'recordsAffected', label: 'Records affected', kind: 'short', required: false, maxLength: 20 }),
      field({ id: 'sources', label: 'Sources', kind: 'long', required: false, maxLength: LIMITS.sources * 200, hint: 'http(s) links, one per line', initial: prefill.sources?.length ? prefill.sources.join('\n') : undefined }),
      field({ id: 'tlp', label: 'TLP marking', kind: 'select', required: false, initial: prefill.tlp ?? 'green',
        options: TLP_LEVELS.map((l) => choice(l, `${tlpLabel(l)} (${TLP_MEANING[l]})`)), hint: 'Who may see it: channels are shown only what their clearance allows' }),
    ],
  };
}

/** The report form filled in with an incident as it stands, for `/incident edit`. */
export function editForm(incident: Incident, victim: Victim): Form {
  const form = reportForm({ victim, tlp: incident.tlp });
  const date = (d: PartialDate | null) => (d ? formatPartialDate(d) : undefined);
  const initial: Record<string, string | string[] | undefined> = {
    startDate: date(incident.started), endDate: date(incident.ended), discoveredDate: date(incident.discovered), disclosedDate: date(incident.disclosed),
    title: incident.title, summary: incident.summary, description: incident.description ?? undefined, vendor: incident.vendor ?? undefined,
    impact: incident.impact, motives: incident.motives, techniques: incident.techniques, threatActors: incident.threatActors.join(', ') || undefined,
    recordsAffected: incident.recordsAffected === null ? undefined : String(incident.recordsAffected), sources: incident.sources.join('\n') || undefined,
  };
  return {
    ...form,
    id: 'edit',
    title: `Edit ${incident.reference}`,
    submitLabel: 'Save changes',
    state: `edit:${incident.reference};victim:${victim.id}`,
    fields: form.fields.map((f) => (f.id in initial ? { ...f, initial: initial[f.id] } : f)),
  };
}

/** The incident an edit form changes, from its state. */
export function editedReference(state: string | undefined): string | null {
  return /^edit:(INC-\d{4}-\d{4,9});/.exec(state ?? '')?.[1] ?? null;
}

/** Turns form values (and the form's state) into a submission for the one schema. */
export function submissionFromForm(values: FormValues, state: string | undefined): IncidentSubmissionInput {
  const one = (id: string) => {
    const v = values[id];
    return Array.isArray(v) ? v.join(', ') : v?.trim() || undefined;
  };
  const many = (id: string, split: RegExp) => {
    const v = values[id];
    const list = Array.isArray(v) ? v : (v ?? '').split(split);
    return list.map((s) => s.trim()).filter(Boolean);
  };
  const victimName = one('victim') ?? '';
  const choice = one(VICTIM_CHOICE);
  const eventChoice = one(EVENT_CHOICE);
  const stateVictim = /(?:^|;)victim:(\d+)$/.exec(state ?? '')?.[1];
  const typedId = /^#(\d+)$/.exec(victimName)?.[1];
  const chosenId = choice && /^#(\d+)$/.exec(choice)?.[1];
  const id = chosenId ?? typedId ?? (stateVictim && !choice ? stateVictim : undefined);
  return {
    victim: {
      name: victimName,
      id: id === undefined ? undefined : Number(id),
      country: one('country'),
      region: one('region'),
      city: one('city'),
      isNew: choice === 'new',
    },
    startDate: one('startDate') as string,
    endDate: one('endDate'),
    discoveredDate: one('discoveredDate'),
    disclosedDate: one('disclosedDate'),
    title: one('title'),
    summary: one('summary') as string,
    description: one('description'),
    vendor: one('vendor'),
    impact: many('impact', /[\s,]+/) as IncidentSubmissionInput['impact'],
    motives: many('motives', /[\s,]+/) as IncidentSubmissionInput['motives'],
    techniques: many('techniques', /[\s,]+/),
    threatActors: many('threatActors', /,/),
    recordsAffected: one('recordsAffected'),
    sources: many('sources', /\s+/),
    tlp: one('tlp'),
    sameAs: eventChoice && eventChoice !== 'new' ? eventChoice : undefined,
    newIncident: eventChoice === 'new',
  };
}

/** Submission errors placed on the form fields they belong to: `victim.country` → `country`, `sources.1` → `sources`. */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const { field, message } of errors) {
    const [head = '', second] = field.split('.');
    const id = head === 'victim' ? (second && ['country', 'region', 'city'].includes(second) ? second : 'victim')
      : head === '(submission)' ? 'victim' : head;
    byField[id] = byField[id] ? `${byField[id]} ${message}` : message;
  }
  return byField;
}

/** The error of one field given everything typed so far, or null: the shell re-asks with it. */
export function fieldError(fieldId: string, values: FormValues, state?: string): string | null {
  const result = incidentSubmission.safeParse(submissionFromForm(values, state));
  if (result.success) return null;
  return errorsByField(fieldErrors(result.error))[fieldId] ?? null;
}

/** "City of Odessa (city · Odessa, TX, US)" */
export function victimChoice(v: Victim): Choice {
  const place = formatPlace(v);
  return { value: `#${v.id}`, label: place ? `${v.name} (${place})` : v.name };
}

/** A person-readable place for the "did you mean?" question: "Odessa, TX, US" or "Ukraine". */
export function placeOf(v: Victim): string {
  return formatPlace(v) || (v.country ? countryName(v.country) : 'place unknown');
}

function choice(value: string, label: string): Choice {
  return { value, label };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
