import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { ValidationError } from '../../src/errors.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { incidentSubmission, parseSubmission } from '../../src/incidents/submission.js';
import { normalizeVictimName, spellingVariants } from '../../src/incidents/victim-name.js';
import { victimIdentity } from '../../src/incidents/victim-resolution.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst } from '../support/submissions.js';
import { HOSTILE_WORDS, hostileUrl, rawHostileText } from './hostile-text.js';

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
/** Any text, now and then one a real person would type, so both outcomes are common. */
const anyText = fc.oneof(
  { arbitrary: rawHostileText, weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), weight: 2 },
  { arbitrary: fc.constantFrom('City of Odessa', 'Click2Gov', 'مدينة أوديسا', 'עיריית אודסה', 'Ville de Lyon 🇫🇷', '👩‍💻 Team', 'Odesa, Ukraine', '  padded  ', 'Departamento de Salud de Puerto Rico'), weight: 3 },
  // Names that are nothing but punctuation or a place: the ledger cannot tell them apart.
  { arbitrary: fc.oneof(fc.string({ unit: fc.constantFrom(...'!?.,-*_~`<>@#&|'), minLength: 1, maxLength: 8 }), fc.constantFrom(', TX', '```', '\u0301')), weight: 1 },
);

/** Mostly what the field expects, now and then anything: a submission has many such fields, and one bad one refuses it all. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anyText, weight: 1 });

/** A submission with any text in every text field (victim unattributed: a victim of its own, no question asked). */
const submissionArb = fc.record({
  victim: fc.record({
    name: anyText, sector: maybe(anyText), country: maybe(mostly(fc.constantFrom('US', 'ua', 'Ukraine', 'Texas'))),
    region: maybe(anyText), city: maybe(anyText), aliases: maybe(fc.array(anyText, { maxLength: 3 })),
    unattributed: fc.constant(true),
  }, { requiredKeys: ['name', 'unattributed'] }),
  title: maybe(anyText), summary: anyText, description: maybe(anyText), vendor: maybe(anyText), vector: maybe(anyText),
  startDate: mostly(fc.constantFrom('2020-04', '2019', '2020-04-15', ' 2020 ')),
  endDate: maybe(mostly(fc.constantFrom('2020-06', '2021'))),
  threatActors: maybe(fc.array(anyText, { maxLength: 3 })),
  sources: maybe(fc.array(mostly(fc.oneof(hostileUrl, fc.constantFrom('HTTPS://EXAMPLE.ORG/X', 'https://example.org/a b', 'javascript:alert(1)', 'https://例え.テスト/パス'))), { maxLength: 3 })),
  techniques: maybe(fc.array(mostly(fc.constantFrom('T1190', 't1059.001')), { maxLength: 2 })),
  impact: maybe(fc.array(mostly(fc.constantFrom('confidentiality', 'availability')), { maxLength: 2 })),
  motives: maybe(fc.array(mostly(fc.constantFrom('financial', 'espionage')), { maxLength: 2 })),
  recordsAffected: maybe(mostly(fc.oneof(fc.nat(), fc.constantFrom('1500', '-1', '1e3', '9007199254740993')))),
}, { requiredKeys: ['victim', 'summary', 'startDate'] });

/** A field path an error may name: one the submission holds, or the submission itself. */
function pathExists(input: unknown, path: string): boolean {
  if (path === '(submission)') return true;
  let node: unknown = input;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function expectFieldErrors(error: unknown, input: unknown) {
  expect(error).toBeInstanceOf(ValidationError);
  const { fieldErrors } = error as ValidationError;
  expect(fieldErrors.length).toBeGreaterThan(0);
  for (const e of fieldErrors) {
    expect(e.message.length).toBeGreaterThan(0);
    // The named field is there (a missing required field is named too: its parent exists).
    expect(pathExists(input, e.field.split('.').slice(0, -1).join('.') || '(submission)'), e.field).toBe(true);
  }
}

describe('the submission schema, given anything', () => {
  it('GIVEN any JSON value THEN it is a submission or a ValidationError with field errors, never another failure', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), submissionArb, fc.anything()), (input) => {
      try {
        parseSubmission(input);
      } catch (error) {
        expectFieldErrors(error, input);
      }
    }), { numRuns: 1000 });
  });

  it('GIVEN hostile text in any text field THEN what is accepted is the text as sent, trimmed', () => {
    fc.assert(fc.property(submissionArb, (input) => {
      const parsed = incidentSubmission.safeParse(input);
      if (!parsed.success) return;
      expect(parsed.data.summary).toBe(input.summary.trim());
      expect(parsed.data.victim.name).toBe(input.victim.name.trim());
      for (const key of ['title', 'description', 'vendor', 'vector'] as const) {
        const sent = input[key]?.trim();
        expect(parsed.data[key]).toBe(sent === '' ? undefined : sent);
      }
      expect(parsed.data.threatActors).toEqual((input.threatActors ?? []).map((a) => a.trim()));
    }), { numRuns: 1000 });
  });
});

async function counts(ledger: Ledger) {
  const tables = ['incidents', 'victims', 'victim_aliases', 'incident_sources', 'threat_actors', 'incident_threat_actors', 'alert_deliveries'] as const;
  const n = await Promise.all(tables.map((t) => ledger.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()));
  return Object.fromEntries(tables.map((t, i) => [t, Number(n[i]!.n)]));
}

describe.each(backends)('the ledger on %s, given hostile submissions', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it('GIVEN any text in every field THEN the report is stored and read back as sent (after the documented normalisation), or refused with field errors and nothing stored', async () => {
    const seen = { stored: 0, refused: 0 };
    await fc.assert(fc.asyncProperty(submissionArb, async (input) => {
      const before = await counts(ledger);
      let outcome;
      try {
        outcome = await ledger.report(input, analyst);
      } catch (error) {
        expectFieldErrors(error, input);
        expect(await counts(ledger)).toEqual(before);
        seen.refused += 1;
        return;
      }
      seen.stored += 1;
      const accepted = parseSubmission(input);
      const identity = victimIdentity(accepted.victim);
      const back = await ledger.victim(outcome.victim.id, { offset: 0, limit: 50 });
      expect(back?.victim).toMatchObject({
        name: identity.name, country: identity.country, region: identity.region,
        city: accepted.victim.city ?? null, sector: accepted.victim.sector ?? null,
      });
      const incident = back!.incidents.find((i) => i.reference === outcome.incident.reference)!;
      expect(incident).toMatchObject({
        summary: accepted.summary, description: accepted.description ?? null, vendor: accepted.vendor ?? null, vector: accepted.vector ?? null,
        sources: accepted.sources, techniques: accepted.techniques, recordsAffected: accepted.recordsAffected ?? null,
      });
      if (accepted.title) expect(incident.title).toBe(accepted.title);
      // One threat actor per normalized name: the name read back is the first spelling the ledger saw.
      expect(incident.threatActors.map((a) => normalizeVictimName(a).normalized).sort())
        .toEqual([...new Set(accepted.threatActors.map((a) => normalizeVictimName(a).normalized))].sort());
      const aliases = await ledger.db.selectFrom('victim_aliases').select('alias').where('victim_id', '=', outcome.victim.id).execute();
      // Besides those sent, a public body named in Spanish keeps its English spelling (spellingVariants).
      for (const { alias } of aliases) expect([...accepted.victim.aliases, ...spellingVariants(identity.normalized.normalized)]).toContain(alias);
    }), { numRuns: 80 });
    expect(seen.stored).toBeGreaterThanOrEqual(5);
    expect(seen.refused).toBeGreaterThanOrEqual(5);
  });

  // Each of these once passed the schema and then broke a check of the database: a crash, not a field error.
  it.each([
    ['a victim name of punctuation only', { victim: { name: '!!!' } }, 'victim.name'],
    ['a victim name that is only a place', { victim: { name: ', TX' } }, 'victim.name'],
    ['an alias of backticks', { victim: { name: 'Acme', unattributed: true, aliases: ['```'] } }, 'victim.aliases.0'],
    ['a threat actor of dashes', { threatActors: ['--'] }, 'threatActors.0'],
    ['half of an emoji', { summary: 'cut \ud83d' }, 'summary'],
    ['a source without slashes', { sources: ['https:example.org'] }, 'sources.0'],
  ])('GIVEN %s THEN a field error names %s… and nothing is stored', async (_, override, field) => {
    const before = await counts(ledger);
    const input = { victim: { name: 'Acme', unattributed: true }, summary: 'Skimmed.', startDate: '2020', ...override };
    const error = await ledger.report(input, analyst).catch((e: unknown) => e);
    expectFieldErrors(error, input);
    expect((error as ValidationError).fieldErrors.map((e) => e.field)).toContain(field);
    expect(await counts(ledger)).toEqual(before);
  });

  it('GIVEN a source whose scheme is upper-case THEN it is stored with the scheme lower-cased', async () => {
    const outcome = await ledger.report({ victim: { name: 'Acme upper', unattributed: true }, summary: 'Skimmed.', startDate: '2020', sources: ['HTTPS://Example.org/Path'] }, analyst);
    expect(outcome.incident.sources).toEqual(['https://Example.org/Path']);
  });

  it('GIVEN right-to-left text, emoji and every hostile word as a victim and summary THEN each is stored and read back intact', async () => {
    const words = HOSTILE_WORDS.filter((w) => !/[\p{Cc}\p{Cs}]/u.test(w) && w.trim() !== '');
    for (const [n, word] of words.entries()) {
      const name = `${word} victim ${n}`;
      const outcome = await ledger.report({ victim: { name, unattributed: true }, summary: `${word} summary`, startDate: '2020', vendor: word, threatActors: [`${word} actor ${n}`] }, analyst);
      const back = await ledger.victim(outcome.victim.id);
      expect(back?.victim.name).toBe(name);
      expect(back?.incidents[0]).toMatchObject({ summary: `${word} summary`, vendor: word.trim(), threatActors: [`${word} actor ${n}`] });
    }
  });
});
