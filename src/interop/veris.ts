import type { Motive } from '../db/schema.js';
import { fitText } from '../chat/text.js';
import { formatPartialDate, parsePartialDate, periodEnd, todayUtc } from '../incidents/partial-date.js';
import type { PartialDate } from '../incidents/partial-date.js';
import { COUNTRIES, parseUsState } from '../incidents/places.js';
import { LIMITS } from '../incidents/submission.js';
import type { IncidentSubmissionInput } from '../incidents/submission.js';
import { kindFromNaics, sectorFromNaics } from './naics.js';
import { techniquesForVeris } from './veris-attack-mapping.js';

/** The parts of a VERIS 1.3.x incident document breachdesk reads. */
interface VerisRecord {
  incident_id?: unknown;
  summary?: unknown;
  reference?: unknown;
  victim?: { victim_id?: unknown; country?: unknown; state?: unknown; industry?: unknown; employee_count?: unknown };
  timeline?: { incident?: VerisDate; discovery?: { unit?: unknown; value?: unknown } };
  plus?: { timeline?: { notification?: VerisDate } };
  actor?: Record<string, { motive?: unknown; variety?: unknown; name?: unknown } | undefined>;
  action?: Record<string, { variety?: unknown; vector?: unknown } | undefined>;
  attribute?: { confidentiality?: { data_total?: unknown }; integrity?: unknown; availability?: unknown };
}
interface VerisDate { year?: unknown; month?: unknown; day?: unknown }

/** A VERIS document that cannot become an incident, and why. */
export class VerisRecordError extends Error {
  override readonly name = 'VerisRecordError';
}

export interface MappedVeris {
  /** `veris:<incident_id>`: re-importing the same record updates it. */
  externalId: string;
  submission: IncidentSubmissionInput;
  /** The victim is a placeholder ("Unknown", "Unidentified hospital"). */
  unattributed: boolean;
}

const MOTIVES: Record<string, Motive> = {
  financial: 'financial', espionage: 'espionage', ideology: 'ideology', grudge: 'grudge', fun: 'fun',
  convenience: 'convenience', fear: 'fear', other: 'other', secondary: 'other', unknown: 'unknown',
};

/**
 * Names that say who the victim is not: "Unknown", "Mass Event", "Unidentified
 * Hospital", "Gas station", "Several unnamed LEA". Each such incident stays
 * unattributed rather than join one giant repeat victim.
 */
const PLACEHOLDER = /^(unknown|n\/?a|none|various|multiple|several|mass event|undisclosed|unidentified|unnamed|anonymous|confidential|unspecified|an? )\b|^(gas station|hospital|bank|school|restaurant|retailer|law firm|medical practice|dental practice|clinic|hotel|company|business|individual|victim)s?$|\bunknown\b|\bunnamed\b|\bunidentified\b/i;

/** VERIS employee counts of a large organisation: one victim across the states its reports name. */
const LARGE = /^(1001 to 10000|10001 to 25000|25001 to 50000|50001 to 100000|over 100000|large)$/i;

/** A record that says the organisation serves many states ("provide phone service in 21 states"): one victim across them. */
const SPANS_STATES = /\b(provides?|serves?|serving|operates?|operating|offers?|services|locations|branches|stores|offices|hospitals|clinics)\b[^.]{0,40}\b(in|across) ([0-9]{2,}|all 50|several|many|multiple|[a-z]+ty(-[a-z]+)?) (u\.?s\.? )?states\b/i;

export function isPlaceholderVictim(name: string): boolean {
  return name.trim() === '' || PLACEHOLDER.test(name.trim());
}

/** Maps one VERIS incident to a submission for the one schema. Throws VerisRecordError when it cannot. */
export function mapVeris(raw: unknown): MappedVeris {
  if (!raw || typeof raw !== 'object') throw new VerisRecordError('not a VERIS incident object');
  const record = raw as VerisRecord;
  const incidentId = str(record.incident_id);
  if (!incidentId) throw new VerisRecordError('no incident_id');
  const start = verisDate(record.timeline?.incident);
  if (!start) throw new VerisRecordError('no usable timeline.incident year');

  const victimName = clean(str(record.victim?.victim_id) ?? '');
  const unattributed = isPlaceholderVictim(victimName);
  const country = first(record.victim?.country)?.toUpperCase();
  const validCountry = country && COUNTRIES.has(country) ? country : undefined;
  const state = str(record.victim?.state);
  const industry = str(record.victim?.industry);

  const varieties = Object.entries(record.action ?? {}).flatMap(([category, action]) =>
    list(action?.variety).filter(known).map((variety) => ({ category, variety, vectors: list(action?.vector).filter(known) })));
  const techniques = [...new Set(varieties.flatMap(({ category, variety }) => techniquesForVeris(`action.${category}.variety.${variety}`)))];
  const vector = Object.entries(record.action ?? {}).flatMap(([category, action]) => {
    const v = list(action?.variety).filter(known);
    const via = list(action?.vector).filter(known);
    return v.length || via.length ? [`${category}: ${v.join(', ') || 'unknown'}${via.length ? ` via ${via.join(', ')}` : ''}`] : [];
  }).join('; ');

  const actors = Object.values(record.actor ?? {});
  const motives = [...new Set(actors.flatMap((a) => list(a?.motive)).map((m) => MOTIVES[m.toLowerCase()]).filter((m): m is Motive => !!m))];
  const threatActors = [...new Set(actors.flatMap((a) => list(a?.name)).map((n) => clean(n)).filter((n) => n.length > 0 && n.length <= LIMITS.actor))].slice(0, LIMITS.actors);

  const summaryText = clean(str(record.summary) ?? '', true);
  // Said plainly, without the vector and date, which have fields of their own (and would make two empty records look alike).
  const fallback = `${unattributed ? 'Unattributed' : victimName} incident recorded in VERIS without a summary`;
  const summary = fitText(summaryText || fallback, LIMITS.summary);
  const dataTotal = Number(record.attribute?.confidentiality?.data_total);

  return {
    externalId: `veris:${incidentId}`,
    unattributed,
    submission: {
      victim: {
        name: unattributed ? `${victimName || 'Unknown'} (VERIS ${incidentId.slice(0, 8)})` : victimName,
        unattributed,
        isNew: unattributed,
        ...(validCountry ? { country: validCountry } : {}),
        ...(state && (validCountry !== 'US' || parseUsState(state)) ? { region: state } : {}),
        ...(sectorFromNaics(industry) ? { sector: sectorFromNaics(industry)! } : {}),
        ...(kindFromNaics(industry) ? { kind: kindFromNaics(industry)! } : {}),
        ...(LARGE.test(str(record.victim?.employee_count) ?? '') || SPANS_STATES.test(summaryText) ? { national: true } : {}),
      },
      startDate: formatPartialDate(start),
      ...optionalDate('discoveredDate', discovery(start, record.timeline?.discovery), start),
      ...optionalDate('disclosedDate', verisDate(record.plus?.timeline?.notification), start),
      summary,
      ...(summaryText.length > LIMITS.summary ? { description: fitText(summaryText, LIMITS.description) } : {}),
      ...(vector ? { vector: fitText(vector, LIMITS.vector) } : {}),
      impact: [
        ...(record.attribute?.confidentiality ? ['confidentiality' as const] : []),
        ...(record.attribute?.integrity ? ['integrity' as const] : []),
        ...(record.attribute?.availability ? ['availability' as const] : []),
      ],
      motives,
      techniques: techniques.slice(0, LIMITS.techniques),
      threatActors,
      ...(Number.isInteger(dataTotal) && dataTotal >= 0 ? { recordsAffected: dataTotal } : {}),
      sources: sourcesOf(str(record.reference) ?? ''),
    },
  };
}

/** "http://a.example/x (20140304);http://b.example/y" → the http(s) URLs, once each, at most 20. */
export function sourcesOf(reference: string): string[] {
  const urls = reference.split(/[;\s,]+/).map((t) => t.replace(/[).,]+$/, '')).filter((t) => {
    if (!/^https?:\/\//i.test(t) || t.length > LIMITS.url) return false;
    try {
      return ['http:', 'https:'].includes(new URL(t).protocol);
    } catch {
      return false;
    }
  });
  return [...new Set(urls)].slice(0, LIMITS.sources);
}

function verisDate(d: VerisDate | undefined): PartialDate | null {
  const year = Number(d?.year);
  if (!Number.isInteger(year)) return null;
  const month = Number(d?.month);
  const day = Number(d?.day);
  const text = Number.isInteger(month) && month >= 1
    ? Number.isInteger(day) && day >= 1 ? `${year}-${pad(month)}-${pad(day)}` : `${year}-${pad(month)}`
    : String(year);
  return parsePartialDate(text) ?? parsePartialDate(String(year));
}

const DAYS_PER: Record<string, number> = { minutes: 1 / 1440, hours: 1 / 24, days: 1, weeks: 7 };

/** timeline.discovery is a span after the incident ("5 Months"): a date at the precision the two allow. */
function discovery(start: PartialDate, span: { unit?: unknown; value?: unknown } | undefined): PartialDate | null {
  const unit = str(span?.unit)?.toLowerCase();
  const value = Number(span?.value);
  if (!unit || !(unit in DAYS_PER || unit === 'months' || unit === 'years') || !Number.isFinite(value) || value < 0) return null;
  const at = new Date(Date.parse(`${start.on}T00:00:00Z`));
  // Calendar months and years; shorter spans as days.
  if (unit === 'months') at.setUTCMonth(at.getUTCMonth() + Math.round(value));
  else if (unit === 'years') at.setUTCFullYear(at.getUTCFullYear() + Math.round(value));
  else at.setTime(at.getTime() + value * DAYS_PER[unit]! * 86_400_000);
  const iso = at.toISOString().slice(0, 10);
  const coarse = unit === 'years' || start.precision === 'year' ? 'year' : unit === 'months' || start.precision === 'month' ? 'month' : 'day';
  return parsePartialDate(coarse === 'year' ? iso.slice(0, 4) : coarse === 'month' ? iso.slice(0, 7) : iso);
}

/** Dirty dates (before the start, in the future) are left out rather than refuse the record. */
function optionalDate(key: 'discoveredDate' | 'disclosedDate', date: PartialDate | null, start: PartialDate): Record<string, string> {
  if (!date || periodEnd(date) < start.on || date.on > todayUtc()) return {};
  return { [key]: formatPartialDate(date) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(str).filter((s): s is string => !!s);
}

function first(v: unknown): string | undefined {
  return list(v)[0];
}

function known(value: string): boolean {
  return !['unknown', 'na', 'n/a', 'other', 'none'].includes(value.toLowerCase());
}

/** Control characters out (newlines kept in long text), spaces collapsed in names. */
function clean(text: string, multiline = false): string {
  const stripped = text.replace(multiline ? /[^\P{Cc}\n\t]/gu : /\p{Cc}/gu, multiline ? '' : ' ');
  return multiline ? stripped.trim() : stripped.replace(/\s+/g, ' ').trim();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
