import { z } from 'zod';
import { MOTIVES, TLP_LEVELS, VICTIM_KINDS } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import type { FieldError } from '../errors.js';
import { attackTechnique } from './attack-catalogue.js';
import { formatPartialDate, parsePartialDate, periodEnd, todayUtc } from './partial-date.js';
import type { PartialDate } from './partial-date.js';
import { COUNTRIES, parseCountry } from './places.js';
import { parseTlp } from '../trust/tlp.js';
import { normalizeVictimName, splitPlaceFromName } from './victim-name.js';

export const IMPACTS = ['confidentiality', 'integrity', 'availability'] as const;
export type Impact = (typeof IMPACTS)[number];

export const LIMITS = {
  name: 200,
  title: 200,
  summary: 1000,
  description: 3000,
  vendor: 200,
  place: 100,
  sector: 100,
  actor: 100,
  url: 2000,
  sources: 20,
  techniques: 30,
  actors: 10,
  aliases: 10,
  vector: 500,
} as const;

// Control characters never belong in a ledger; a multi-line field keeps its
// newlines and tabs, nothing else.
const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\n\r\t]/u;
// Half of a surrogate pair (a cut emoji) cannot be stored as UTF-8: it would come back as U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;

/** Empty and blank strings from a form mean "not given". */
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

function text(label: string, max: number, options: { multiline?: boolean } = {}) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${label} is required.` : `${label} must be text.`) })
    .trim()
    .min(1, { error: `${label} is required.` })
    .max(max, { error: (issue) => `${label} is too long: ${String((issue.input as string).length)} characters, at most ${max}.` })
    .refine((value) => !(options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value), {
      error: `${label} contains control characters; remove them.`,
    })
    .refine((value) => !LONE_SURROGATE.test(value), { error: `${label} contains a broken character (half of an emoji); remove it.` });
}

/** A name the ledger tells apart by its letters and digits: punctuation alone ("!!!") names nothing. */
function name(label: string, max: number, options: { placeAfter?: boolean } = {}) {
  // A victim's "Odessa, TX" is stored as Odessa in TX: what is left of the place must be a name too.
  const named = (value: string) => normalizeVictimName(options.placeAfter ? splitPlaceFromName(value).name : value).normalized !== '';
  return text(label, max).refine(named, {
    error: `${label} must contain letters or digits.`,
  });
}

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

// Digits as people write a count: 1500, 1,500 or 1 500 (a no-break or narrow space too).
// Number() would also read 0x10 as 16 and 1e3 as 1000; a count written so is a typo or a trick.
const DIGITS = /^(\d+|\d{1,3}(,\d{3})+|\d{1,3}([ \u00a0\u202f]\d{3})+)$/;

/** A count of things, as a JSON whole number or as typed digits. */
function count(label: string) {
  const notDigits = (typed: string) => `${label} "${typed.slice(0, 20)}" is not a whole number written in digits, such as 1500 or 1,500.`;
  return z
    .union([z.number(), z.string()], { error: `${label} must be a whole number, such as 1500.` })
    .transform((value, ctx) => {
      const typed = typeof value === 'string' ? value.trim() : null;
      const number = typed === null ? (value as number) : DIGITS.test(typed) ? Number(typed.replace(/\D/g, '')) : NaN;
      let problem: string | null = null;
      if (number < 0 || (typed !== null && /^-\s*\d/.test(typed))) problem = `${label} cannot be negative.`;
      else if (!Number.isInteger(number)) problem = typed === null ? `${label} must be a whole number, such as 1500.` : notDigits(typed);
      else if (number > Number.MAX_SAFE_INTEGER) problem = `${label} is too large.`;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return number;
    });
}

function partialDate(label: string) {
  return z
    .string({ error: `${label} must be a date like 2020, 2020-04 or 2020-04-15.` })
    .transform((value, ctx): PartialDate => {
      const parsed = parsePartialDate(value);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: `${label} "${value.slice(0, 40)}" is not a date like 2020, 2020-04 or 2020-04-15.` });
        return z.NEVER;
      }
      if (parsed.on > todayUtc()) {
        ctx.addIssue({ code: 'custom', message: `${label} ${formatPartialDate(parsed)} is in the future.` });
        return z.NEVER;
      }
      return parsed;
    });
}

const country = z
  .string({ error: 'Country must be a two-letter ISO 3166-1 code such as US or UA.' })
  .transform((value, ctx) => {
    const code = value.trim().length === 2 ? value.trim().toUpperCase() : parseCountry(value);
    if (!code || !COUNTRIES.has(code)) {
      ctx.addIssue({ code: 'custom', message: `Country "${value.slice(0, 40)}" is not an ISO 3166-1 country code; use two letters such as US or UA.` });
      return z.NEVER;
    }
    return code;
  });

const victim = z.object({
  /** An existing victim, chosen in a form or confirmed after a "did you mean?" question. */
  id: optional(z.coerce.number({ error: 'Victim id must be a number.' }).int().positive()),
  name: name('Victim name', LIMITS.name, { placeAfter: true }),
  kind: optional(z.enum(VICTIM_KINDS, { error: `Victim kind must be one of: ${VICTIM_KINDS.join(', ')}.` })),
  sector: optional(text('Sector', LIMITS.sector)),
  country: optional(country),
  region: optional(text('Region', LIMITS.place)),
  city: optional(text('City', LIMITS.place)),
  aliases: z.array(name('Alias', LIMITS.name)).max(LIMITS.aliases, { error: `At most ${LIMITS.aliases} aliases.` }).default([]),
  /** Operates nationwide (a federal agency, a large company): one victim whatever state a report names. */
  national: z.boolean({ error: 'national must be true or false.' }).default(false),
  /** Set after the person confirmed that a near match is a different, new victim. */
  isNew: z.boolean({ error: 'isNew must be true or false.' }).default(false),
  /** A placeholder ("Unknown", "Unidentified hospital") from an import: a victim of its own, never a repeat victim. */
  unattributed: z.boolean({ error: 'unattributed must be true or false.' }).default(false),
}, { error: 'Victim is required: give at least its name.' });

const technique = z.string({ error: 'Technique must be an ATT&CK id such as T1190.' }).transform((value, ctx) => {
  const found = attackTechnique(value);
  if (!found) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 20)}" is not a MITRE ATT&CK Enterprise technique id (such as T1190 or T1059.001).` });
    return z.NEVER;
  }
  return found.id;
});

const tlp = z.string({ error: 'TLP must be a marking such as TLP:AMBER.' }).transform((value, ctx) => {
  const marking = parseTlp(value);
  if (!marking) {
    ctx.addIssue({ code: 'custom', message: `TLP "${value.slice(0, 20)}" is not a marking; use one of ${TLP_LEVELS.map((l) => `TLP:${l.toUpperCase()}`).join(', ')}.` });
    return z.NEVER;
  }
  return marking;
});

const sourceUrl = z.string({ error: 'Source must be a URL.' }).trim().transform((typed, ctx) => {
  // The scheme is case-insensitive: HTTPS://… is stored as https://…, as the ledger's check expects.
  const value = typed.replace(/^https?:/i, (scheme) => scheme.toLowerCase());
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^https?:\/\/./.test(value) || /\s|\p{Cc}|\p{Cs}/u.test(value) || value.length > LIMITS.url) {
    ctx.addIssue({ code: 'custom', message: `Source "${value.slice(0, 60)}" is not an http(s) URL.` });
    return z.NEVER;
  }
  return value;
});

/**
 * The one schema every entry point validates an incident through: chat forms, the
 * command line and imports. Dates may be partial ('2019', '2020-04').
 *
 * @example
 *   parseSubmission({
 *     victim: { name: 'City of Odessa', country: 'US', region: 'TX' },
 *     startDate: '2020-04-15', endDate: '2020-06-30',
 *     summary: 'Click2Gov one-time payments skimmed', vendor: 'Click2Gov',
 *     impact: ['confidentiality'], motives: ['financial'], techniques: ['T1190'],
 *     sources: ['https://example.org/report'],
 *   })
 */
export const incidentSubmission = z
  .object({
    victim,
    title: optional(text('Title', LIMITS.title)),
    summary: text('Summary', LIMITS.summary, { multiline: true }),
    description: optional(text('Description', LIMITS.description, { multiline: true })),
    startDate: partialDate('Start date'),
    endDate: optional(partialDate('End date')),
    discoveredDate: optional(partialDate('Discovery date')),
    disclosedDate: optional(partialDate('Disclosure date')),
    vendor: optional(text('Affected system or vendor', LIMITS.vendor)),
    vector: optional(text('Vector', LIMITS.vector)),
    impact: z.array(z.enum(IMPACTS, { error: `Impact must be among: ${IMPACTS.join(', ')}.` })).default([]),
    motives: z.array(z.enum(MOTIVES, { error: `Motive must be one of: ${MOTIVES.join(', ')}.` })).default([]),
    techniques: z.array(technique).max(LIMITS.techniques, { error: `At most ${LIMITS.techniques} techniques.` }).default([]),
    threatActors: z.array(name('Threat actor', LIMITS.actor)).max(LIMITS.actors, { error: `At most ${LIMITS.actors} threat actors.` }).default([]),
    recordsAffected: optional(count('Records affected')),
    sources: z.array(sourceUrl).max(LIMITS.sources, { error: `At most ${LIMITS.sources} sources.` }).default([]),
    /** Traffic Light Protocol marking; unset: the configured default (TLP_DEFAULT). */
    tlp: optional(tlp),
    /** This report is of that incident (INC-2020-0001): add it as a further report, not a new incident. */
    sameAs: optional(z.string({ error: 'sameAs must be an incident reference such as INC-2020-0001.' }).trim().toUpperCase()
      .regex(/^INC-\d{4}-\d{4,9}$/, { error: 'sameAs must be an incident reference such as INC-2020-0001.' })),
    /** The person said this is a different incident from the ones it looks like. */
    newIncident: z.boolean({ error: 'newIncident must be true or false.' }).default(false),
  }, { error: 'A submission must be an object with at least victim, summary and startDate.' })
  .superRefine((s, ctx) => {
    if (s.endDate && periodEnd(s.endDate) < s.startDate.on) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `End date ${formatPartialDate(s.endDate)} is before the start date ${formatPartialDate(s.startDate)}.` });
    }
    for (const key of ['discoveredDate', 'disclosedDate'] as const) {
      const date = s[key];
      if (date && periodEnd(date) < s.startDate.on) {
        const label = key === 'discoveredDate' ? 'Discovery date' : 'Disclosure date';
        ctx.addIssue({ code: 'custom', path: [key], message: `${label} ${formatPartialDate(date)} is before the start date ${formatPartialDate(s.startDate)}.` });
      }
    }
  })
  .transform((s) => ({
    ...s,
    techniques: [...new Set(s.techniques)],
    motives: [...new Set(s.motives)],
    impact: [...new Set(s.impact)],
    sources: [...new Set(s.sources)],
  }));

export type IncidentSubmissionInput = z.input<typeof incidentSubmission>;
export type IncidentSubmission = z.output<typeof incidentSubmission>;

/**
 * Validates a submission; on failure throws a ValidationError with one error per field.
 * What it returned it returns as it is: an import validates each record once, not again
 * at each layer it passes (that was three parses a record, a tenth of an import's CPU).
 */
export function parseSubmission(input: unknown): IncidentSubmission {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as IncidentSubmission;
  const result = incidentSubmission.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  validated.add(result.data);
  return result.data;
}
const validated = new WeakSet<object>();

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(submission)',
    message: issue.message,
  }));
}
