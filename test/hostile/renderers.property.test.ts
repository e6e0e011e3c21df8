import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, renderDiscord } from '../../src/adapters/discord/embeds.js';
import type { DiscordMessage } from '../../src/adapters/discord/embeds.js';
import { discordLink } from '../../src/adapters/discord/markdown.js';
import { newDraft, pageModal } from '../../src/adapters/discord/report-draft.js';
import { renderForTerminal } from '../../src/adapters/shell/render.js';
import { SLACK_LIMITS, renderBlockKit } from '../../src/adapters/slack/block-kit.js';
import type { SlackMessage } from '../../src/adapters/slack/block-kit.js';
import { formModal, newVictimOption, option } from '../../src/adapters/slack/modal.js';
import { mrkdwnLink } from '../../src/adapters/slack/mrkdwn.js';
import { alertMessage, digestMessage } from '../../src/alerts/alert-message.js';
import type { AlertSubject } from '../../src/alerts/alert-message.js';
import type { Block, IncidentSummary, Message } from '../../src/presentation/message.js';
import { message } from '../../src/presentation/message.js';
import { verdictBlocks, victimBlock } from '../../src/presentation/incident-blocks.js';
import { reportForm } from '../../src/chat/report-form.js';
import type { Incident, Victim } from '../../src/incidents/incident-view.js';
import { hostileName, hostileText, hostileUrl } from './hostile-text.js';

const RUNS = { numRuns: 300 };

// ---- what people wrote, in every field a renderer shows ----

const summaryArb: fc.Arbitrary<IncidentSummary> = fc.record({
  reference: fc.constantFrom('INC-2020-0001', 'INC-2019-0042'),
  period: fc.constantFrom('2020-04 – 2020-06', '2019'),
  marking: fc.constantFrom(null, 'TLP:AMBER+STRICT', 'TLP:RED'),
  title: hostileName,
  summary: hostileName,
  vendor: fc.option(hostileText, { nil: null }),
  impact: fc.constantFrom('', 'confidentiality, availability'),
  motives: fc.constantFrom('', 'financial'),
  techniques: fc.constantFrom('', 'T1190, T1059.001'),
  threatActors: hostileText,
  sources: fc.array(hostileUrl, { maxLength: 20 }),
});

const blockArb: fc.Arbitrary<Block> = fc.oneof(
  hostileText.map((text): Block => ({ type: 'heading', text })),
  hostileText.map((text): Block => ({ type: 'text', text })),
  hostileText.map((text): Block => ({ type: 'context', text })),
  fc.constant<Block>({ type: 'divider' }),
  fc.array(fc.record({ label: hostileText, value: hostileText }), { maxLength: 30 }).map((fields): Block => ({ type: 'fields', fields })),
  fc.record({
    victim: fc.record({ id: fc.nat(), name: hostileName, description: hostileText }),
    incidents: fc.array(summaryArb, { maxLength: 8 }),
    totalIncidents: fc.option(fc.nat({ max: 100 }), { nil: null }),
  }).map((v): Block => ({ type: 'victim', ...v })),
  fc.array(fc.record({ label: hostileName, command: hostileText, style: fc.constantFrom(undefined, 'primary' as const, 'danger' as const) }, { requiredKeys: ['label', 'command'] }), { maxLength: 8 })
    .map((actions): Block => ({ type: 'actions', actions })),
);

const messageArb: fc.Arbitrary<Message> = fc.record({ fallback: hostileText, blocks: fc.array(blockArb, { maxLength: 14 }) });

const victimArb: fc.Arbitrary<Victim> = fc.record({
  id: fc.integer({ min: 1, max: 10_000 }), name: hostileName, kind: fc.constantFrom(null, 'city' as const), sector: fc.option(hostileText, { nil: null }),
  country: fc.constantFrom(null, 'US', 'UA'), region: fc.option(hostileText, { nil: null }), city: fc.option(hostileText, { nil: null }), unattributed: fc.constant(false),
});

const incidentArb: fc.Arbitrary<Incident> = fc.record({
  id: fc.nat(), reference: fc.constantFrom('INC-2020-0001', 'INC-2019-0001'), victimId: fc.nat(),
  started: fc.constant({ on: '2020-04-01', precision: 'month' as const }), startedUntil: fc.constant('2020-04-30'),
  ended: fc.constant(null), discovered: fc.constant(null), disclosed: fc.constant(null),
  title: hostileName, summary: hostileName, description: fc.option(hostileText, { nil: null }), vendor: fc.option(hostileName, { nil: null }),
  vector: fc.constant(null), impact: fc.constant(['confidentiality' as const]), motives: fc.constant(['financial' as const]),
  techniques: fc.constant(['T1190']), threatActors: fc.array(hostileName, { maxLength: 10 }), recordsAffected: fc.constant(null),
  sources: fc.array(hostileUrl, { maxLength: 20 }),
  reportedBy: fc.record({ platform: fc.constantFrom('slack' as const, 'discord' as const), workspace: fc.constant(null), user: hostileName, userId: fc.constant(null) }),
  reportedAt: fc.constant(new Date('2020-10-01T00:00:00Z')), externalId: fc.constant(null), mergedInto: fc.constant(null), reports: fc.constant([]),
  tlp: fc.constantFrom('clear' as const, 'green' as const, 'amber+strict' as const, 'red' as const), revision: fc.nat({ max: 9 }).map((n) => n + 1), retractedAt: fc.constant(null),
});

const alertSubjectArb: fc.Arbitrary<AlertSubject> = fc.record({
  victim: victimArb,
  incident: incidentArb,
  others: fc.array(incidentArb, { maxLength: 6 }),
  shared: fc.array(hostileName, { maxLength: 4 }),
  actors: fc.array(hostileName, { maxLength: 4 }),
  peers: fc.option(fc.record({ count: fc.nat({ max: 50 }), since: fc.constantFrom(null, '2019') }), { nil: null }),
}).map(({ victim, incident, others, shared, actors, peers }) => ({
  victim, incident, vendorPeers: peers,
  verdict: {
    isRepeat: others.length > 0, windowDays: 365, ordinal: others.length + 1, headline: `${others.length + 1}th incident within 365 days`,
    others, sharedVendors: shared, sharedTechniques: ['T1190'], sharedThreatActors: actors,
    certainty: others.length > 0 ? 'certain' as const : null, possibleOthers: [], possibleBecause: null,
  },
}));

/** Every message a renderer might be asked for: arbitrary messages, alerts and digests. */
const anyMessage: fc.Arbitrary<Message> = fc.oneof(
  { arbitrary: messageArb, weight: 3 },
  fc.tuple(alertSubjectArb, fc.constantFrom('repeat' as const, 'watch' as const)).map(([s, r]) => alertMessage(s, r)),
  fc.array(fc.tuple(alertSubjectArb, fc.constantFrom('repeat' as const, 'watch' as const)), { maxLength: 60 })
    .map((items) => digestMessage(items.map(([subject, reason]) => ({ subject, reason })))),
);

/** The links a renderer makes of a message's sources ("source 1", "source 2"…), so a test can tell ours from anything else. */
function linksOf(message: Message, link: (url: string, label: string) => string): Set<string> {
  return new Set(message.blocks.flatMap((b) => (b.type === 'victim' ? b.incidents.flatMap((i) => i.sources.map((url, n) => link(url, `source ${n + 1}`))) : [])));
}

// ---- Slack ----

type Node = Record<string, unknown>;
function textObjects(node: unknown, type: 'mrkdwn' | 'plain_text'): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => textObjects(n, type));
  if (!node || typeof node !== 'object') return [];
  const o = node as Node;
  return [...(o.type === type && typeof o.text === 'string' ? [o.text] : []), ...Object.values(o).flatMap((v) => textObjects(v, type))];
}

function expectInertMrkdwn(text: string, ours: Set<string>) {
  // Take out our own links; what is left holds no markup of anyone's.
  const links = text.match(/<[^<>]*>/g) ?? [];
  for (const link of links) expect(ours, `a link that is not one of ours: ${link}`).toContain(link);
  const rest = text.replace(/<[^<>]*>/g, '');
  expect(rest).not.toMatch(/[<>]/);
  // Every & starts one of the three entities Slack decodes, so nothing was cut in half.
  expect(text).not.toMatch(/&(?!(amp|lt|gt);)/);
}

function expectNoLoneSurrogates(text: string) {
  expect(text, 'a lone surrogate, cut out of a pair').not.toMatch(/\p{Cs}/u);
}

function expectSlackLimits(out: SlackMessage) {
  expect(out.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(out.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const b of out.blocks as Node[]) {
    const text = b.text as { text: string } | undefined;
    if (b.type === 'header') expect(text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section' && text) expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.type === 'section') expect(!!text || !!b.fields).toBe(true);
    if (b.type === 'section' && b.fields) {
      const fields = b.fields as { text: string }[];
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') {
      const elements = b.elements as { text: string }[];
      expect(elements.length).toBeLessThanOrEqual(10);
      for (const e of elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
    if (b.type === 'actions') {
      const elements = b.elements as { text: { text: string }; value: string; action_id: string }[];
      expect(elements.length).toBeGreaterThan(0);
      expect(elements.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonsPerActions);
      for (const e of elements) {
        expect(e.text.text.length).toBeGreaterThan(0);
        expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect(e.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
        expect(e.action_id.length).toBeLessThanOrEqual(255);
      }
    }
  }
  // A text object may not be empty: Slack refuses the whole message.
  for (const t of [...textObjects(out.blocks, 'mrkdwn'), ...textObjects(out.blocks, 'plain_text')]) expect(t.length).toBeGreaterThan(0);
}

describe('Slack Block Kit, given anything people could write', () => {
  it('GIVEN any message, alert or digest THEN no mention, broadcast or foreign link reaches mrkdwn, and every Block Kit limit holds', () => {
    fc.assert(fc.property(anyMessage, (message) => {
      const out = renderBlockKit(message);
      const ours = linksOf(message, mrkdwnLink);
      for (const t of [out.text, ...textObjects(out.blocks, 'mrkdwn')]) {
        expectInertMrkdwn(t, ours);
        expectNoLoneSurrogates(t);
      }
      for (const t of textObjects(out.blocks, 'plain_text')) expectNoLoneSurrogates(t);
      // verbatim: Slack links no names or channels of its own accord.
      const json = JSON.stringify(out.blocks);
      expect(json.match(/"verbatim":true/g)?.length ?? 0).toBe(json.match(/"type":"mrkdwn"/g)?.length ?? 0);
      expectSlackLimits(out);
    }), RUNS);
  });

  it('GIVEN any source URL THEN its link cannot be closed early nor a second link added', () => {
    fc.assert(fc.property(hostileUrl, fc.nat({ max: 30 }), (url, n) => {
      const link = mrkdwnLink(url, `source ${n}`);
      expect(link).toMatch(/^<[^<>|\s]+\|source \d+>$/);
      expect(link).not.toMatch(/&(?!(amp|lt|gt);)/);
    }), RUNS);
  });

  it('GIVEN the report form prefilled with any victim and any question THEN the modal keeps Slack’s limits and the question is inert', () => {
    const choiceArb = fc.record({ value: hostileText, label: hostileName });
    fc.assert(fc.property(hostileName, hostileText, fc.array(choiceArb, { maxLength: 30 }), hostileText, (name, question, choices, typed) => {
      const form = reportForm({ name });
      const values = Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'multiselect' || f.kind === 'checkboxes' ? [typed] : `${name}${typed}`]));
      for (const modal of [
        formModal(form, { metadata: { channelId: 'C1', state: form.state } }),
        formModal(form, { metadata: { channelId: 'C1' }, values, question: { text: question, answerField: 'victimChoice', choices } }),
      ]) {
        expect((modal.title as { text: string }).text.length).toBeLessThanOrEqual(24);
        expect((modal.submit as { text: string }).text.length).toBeLessThanOrEqual(24);
        expect((modal.blocks as unknown[]).length).toBeLessThanOrEqual(100);
        expect(String(modal.private_metadata).length).toBeLessThanOrEqual(3000);
        for (const t of textObjects(modal.blocks, 'mrkdwn')) expectInertMrkdwn(t, new Set());
        for (const b of modal.blocks as Node[]) {
          if (b.type !== 'input') continue;
          expect((b.label as { text: string }).text.length).toBeLessThanOrEqual(2000);
          const element = b.element as Node;
          const options = (element.options ?? []) as { text: { text: string }; value: string }[];
          expect(options.length).toBeLessThanOrEqual(element.type === 'radio_buttons' || element.type === 'checkboxes' ? 10 : 100);
          for (const o of [...options, ...(element.initial_option ? [element.initial_option as { text: { text: string }; value: string }] : [])]) {
            expect(o.text.text.length).toBeGreaterThan(0);
            expect(o.text.text.length).toBeLessThanOrEqual(75);
            expect(o.value.length).toBeLessThanOrEqual(150);
            expectNoLoneSurrogates(o.text.text);
            expectNoLoneSurrogates(o.value);
          }
          if (typeof element.initial_value === 'string') expect(element.initial_value.length).toBeLessThanOrEqual(Number(element.max_length));
          if (element.placeholder) expect((element.placeholder as { text: string }).text.length).toBeLessThanOrEqual(150);
        }
      }
      const typedOption = option(newVictimOption(typed.trim() ? typed : `x${typed}`)) as { text: { text: string }; value: string };
      expect(typedOption.text.text.length).toBeLessThanOrEqual(75);
      expect(typedOption.value.length).toBeLessThanOrEqual(150);
      expectNoLoneSurrogates(typedOption.value);
    }), { numRuns: 100 });
  });
});

// ---- Discord ----

const MENTION = /@(everyone|here)|<[@#][!&]?\d|<\/\w/;

function expectInertDiscord(text: string, ours: Set<string>) {
  // Without our own links (whose URLs are not shown), no mention and every bracket escaped: no masked link of anyone's.
  const rest = text.replace(/\[source \d+\]\([^()\s<>\\]*\)/g, (link) => (ours.has(link) ? '' : link));
  expect(rest).not.toMatch(MENTION);
  expect(rest.replace(/\\\\/g, '')).not.toMatch(/(^|[^\\])[[\]]/);
}

function discordTexts(out: DiscordMessage): string[] {
  return out.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
}

function expectDiscordLimits(out: DiscordMessage) {
  expect(out.allowed_mentions).toEqual({ parse: [] });
  expect(out.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const e of out.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) {
      // Discord refuses an empty field name or value.
      expect(f.name.trim().length).toBeGreaterThan(0);
      expect(f.value.trim().length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  expect(out.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
  for (const row of out.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const b of row.components) {
      expect(b.label.trim().length).toBeGreaterThan(0);
      expect(b.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
  }
}

describe('Discord embeds and components, given anything people could write', () => {
  it('GIVEN any message, alert or digest THEN no mention or foreign masked link is produced, allowed_mentions is empty, and every limit holds', () => {
    fc.assert(fc.property(anyMessage, (message) => {
      const out = renderDiscord(message);
      const ours = linksOf(message, discordLink);
      for (const t of discordTexts(out)) {
        expectInertDiscord(t, ours);
        expectNoLoneSurrogates(t);
      }
      for (const row of out.components) for (const b of row.components) expectNoLoneSurrogates(b.label);
      expectDiscordLimits(out);
    }), RUNS);
  });

  it('GIVEN any source URL THEN its masked link stays one link', () => {
    fc.assert(fc.property(hostileUrl, fc.nat({ max: 30 }), (url, n) => {
      expect(discordLink(url, `source ${n}`)).toMatch(/^\[source \d+\]\([^()\s<>\\]+\)$/);
    }), RUNS);
  });

  it('GIVEN the report form prefilled with anything THEN every modal page keeps Discord’s limits', () => {
    fc.assert(fc.property(hostileName, hostileText, (name, typed) => {
      const draft = newDraft('draft-id-012', reportForm({ name }));
      for (const field of draft.form.fields) draft.values[field.id] = field.kind === 'multiselect' || field.kind === 'checkboxes' ? [typed] : `${name}${typed}`;
      draft.pages.forEach((_, page) => {
        const modal = pageModal(draft, page);
        expect(modal.title.length).toBeLessThanOrEqual(45);
        expect(modal.custom_id.length).toBeLessThanOrEqual(100);
        expect(modal.components.length).toBeLessThanOrEqual(5);
        for (const c of modal.components) {
          expect(c.label.length).toBeLessThanOrEqual(45);
          const component = c.component as { type: number; value?: string; max_length?: number; placeholder?: string; options?: { label: string; value: string }[] };
          if (component.value !== undefined) {
            expect(component.value.length).toBeLessThanOrEqual(component.max_length ?? 4000);
            expectNoLoneSurrogates(component.value);
          }
          expect(component.placeholder?.length ?? 0).toBeLessThanOrEqual(100);
          expect(component.options?.length ?? 0).toBeLessThanOrEqual(25);
          for (const o of component.options ?? []) expect(o.label.length).toBeLessThanOrEqual(100);
        }
      });
    }), { numRuns: 100 });
  });
});

// ---- the terminal ----

describe('the terminal shell, given anything people could write', () => {
  it('GIVEN any message, alert or digest THEN no control character reaches the terminal but our own colours and newlines', () => {
    fc.assert(fc.property(anyMessage, fc.boolean(), (message, color) => {
      const out = renderForTerminal(message, { color });
      const withoutOurColours = out.replace(/\u001b\[(1|2|22|33|34|36|39)m/g, '');
      expect(withoutOurColours).not.toMatch(/[^\P{Cc}\n]/u);
      if (!color) expect(out).not.toContain('\u001b');
    }), RUNS);
  });
});

// ---- which way text runs: direction controls and right-to-left letters ----

const OPENERS: Record<string, string> = { '\u202a': '\u202c', '\u202b': '\u202c', '\u202d': '\u202c', '\u202e': '\u202c', '\u2066': '\u2069', '\u2067': '\u2069', '\u2068': '\u2069' };
const CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/;
/** UAX #9 paragraph separators: each ends whatever direction a line opened. */
const lines = (text: string) => text.split(/\r\n|[\n\r\u001c-\u001e\u0085\u2029]/);

/** Every control that opens is closed, in order, on its own line, and every one that closes closes something. */
function expectBalanced(text: string) {
  for (const line of lines(text)) {
    const open: string[] = [];
    for (const c of line) {
      if (OPENERS[c]) open.push(OPENERS[c]);
      else if (CONTROL.test(c)) expect(open.pop(), `a stray ${c.codePointAt(0)!.toString(16)} in ${JSON.stringify(line)}`).toBe(c);
    }
    expect(open, `left open in ${JSON.stringify(line)}`).toEqual([]);
  }
}

/** A line without its isolates (U+2066–U+2068 … U+2069): what of it is ours. */
function outsideIsolates(line: string): string {
  let depth = 0;
  let out = '';
  for (const c of line) {
    if (/[\u2066-\u2068]/.test(c)) depth += 1;
    else if (c === '\u2069' && depth > 0) depth -= 1;
    else if (depth === 0) out += c;
  }
  return out;
}

/** Everything each renderer shows of a message, as the text units it sends. */
const RENDERERS: [string, (m: Message) => string[]][] = [
  ['Slack', (m) => { const out = renderBlockKit(m); return [out.text, ...textObjects(out.blocks, 'mrkdwn'), ...textObjects(out.blocks, 'plain_text')]; }],
  ['Discord', (m) => { const out = renderDiscord(m); return [...discordTexts(out), ...out.components.flatMap((r) => r.components.map((b) => b.label))]; }],
  ['the terminal', (m) => [renderForTerminal(m, { color: false }), renderForTerminal(m, { color: true })]],
];

/** Messages made by our own code of what people wrote: alerts, digests, a victim with its incidents and a verdict. */
const composedMessage: fc.Arbitrary<Message> = fc.oneof(
  fc.tuple(alertSubjectArb, fc.constantFrom('repeat' as const, 'watch' as const)).map(([s, r]) => alertMessage(s, r)),
  fc.array(fc.tuple(alertSubjectArb, fc.constantFrom('repeat' as const, 'watch' as const)), { maxLength: 20 })
    .map((items) => digestMessage(items.map(([subject, reason]) => ({ subject, reason })))),
  fc.tuple(alertSubjectArb, fc.option(fc.nat({ max: 9 }), { nil: null })).map(([s, total]) =>
    message(`Victim #${s.victim.id}`, victimBlock(s.victim, [s.incident, ...s.verdict.others], total), ...verdictBlocks(s.incident, s.verdict))),
);

describe.each(RENDERERS)('direction controls and right-to-left text in %s', (_, render) => {
  it('GIVEN any message, alert or digest THEN no direction control is left open on its line, nor closes what it did not open', () => {
    fc.assert(fc.property(anyMessage, (m) => {
      for (const unit of render(m)) expectBalanced(unit);
    }), RUNS);
  });

  it('GIVEN alerts, digests and victims of anything people wrote THEN their text is isolated wherever it meets ours', () => {
    fc.assert(fc.property(composedMessage, (m) => {
      for (const unit of render(m)) {
        expectBalanced(unit);
        for (const line of lines(unit)) {
          const ours = outsideIsolates(line);
          expect(ours, `not isolated in ${JSON.stringify(line)}`).not.toMatch(CONTROL);
          expect(ours, `not isolated in ${JSON.stringify(line)}`).not.toMatch(RTL_LETTER);
        }
      }
    }), RUNS);
  });

  it('GIVEN the victim "Zorblat \u202etxet" (an override never closed) breached again THEN every line reads in order, the name included', () => {
    const victim: Victim = { id: 7, name: 'Zorblat \u202etxet', kind: null, sector: null, country: 'US', region: null, city: null, unattributed: false };
    const [sample] = fc.sample(incidentArb, { numRuns: 1, seed: 15 });
    const plain = { ...sample!, title: 'Portal \u202ebreached', summary: 'Card data skimmed.', description: null, vendor: null, threatActors: [], sources: [], reportedBy: { ...sample!.reportedBy, user: 'ana' } };
    const earlier = { ...plain, reference: 'INC-2019-0001', title: 'Skimmed' };
    const alert = alertMessage({
      victim, incident: plain, vendorPeers: null,
      verdict: { isRepeat: true, windowDays: 365, ordinal: 2, headline: '2nd incident within 365 days', others: [earlier], sharedVendors: [], sharedTechniques: [], sharedThreatActors: [], certainty: 'certain', possibleOthers: [], possibleBecause: null },
    }, 'repeat');
    const shown = render(alert).join('\n');
    expect(shown).not.toMatch(CONTROL);
    expect(shown).toContain('Repeat breach: Zorblat txet — 2nd incident within 365 days');
    expect(shown).toMatch(/Zorblat txet/);
  });
});
