import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident-view.js';
import { renderForTerminal } from '../../src/adapters/shell/render.js';
import { renderTimelinePng, timelinePng } from '../../src/presentation/timeline-png.js';
import { TIMELINE_COLORS, TIMELINE_SIZE, timelineLayout, timelineSvg } from '../../src/presentation/timeline-svg.js';
import { timelineAlt, timelineText, victimTimeline } from '../../src/presentation/victim-timeline.js';
import type { Timeline } from '../../src/presentation/victim-timeline.js';
import type { Message } from '../../src/presentation/message.js';
import { backends } from '../support/databases.js';
import { chatHarness } from '../support/chat.js';

let ids = 0;
/** An incident as the ledger loads it, only what the timeline reads filled in. */
function incident(reference: string, start: string, o: { end?: string; vendor?: string; techniques?: string[] } = {}): Incident {
  const precision = start.length === 4 ? 'year' : start.length === 7 ? 'month' : 'day';
  const on = precision === 'year' ? `${start}-01-01` : precision === 'month' ? `${start}-01` : start;
  const until = precision === 'year' ? `${start}-12-31` : precision === 'month' ? new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 0)).toISOString().slice(0, 10) : start;
  const end = o.end ? { on: o.end.length === 7 ? `${o.end}-01` : o.end, precision: o.end.length === 7 ? 'month' : 'day' } : null;
  return { id: ++ids, reference, started: { on, precision }, startedUntil: until, ended: end, vendor: o.vendor ?? null, techniques: o.techniques ?? [], revision: 1 } as unknown as Incident;
}

const odessa = () => victimTimeline({ id: 1, name: 'City of Odessa' }, [
  incident('INC-2020-0001', '2020-04', { end: '2020-06', vendor: 'Click2Gov' }),
  incident('INC-2019-0001', '2019-08-27', { end: '2019-10-14', vendor: 'Click2Gov' }),
], 365);

/** The fill of each <rect> of a mark's group, with its x and width. */
function markRects(svg: string, reference: string): { x: number; width: number; soft: boolean }[] {
  const group = new RegExp(`<g><title>${reference}</title>(.*?)</g>`).exec(svg)?.[1] ?? '';
  return [...group.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*\/>/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]), soft: m[0].includes('fill-opacity="0.3"') }));
}

describe('the timeline picture of a victim, as SVG', () => {
  it('GIVEN Odessa THEN the older incident is on the left, the repeat window shaded and Click2Gov named', () => {
    const t = odessa();
    const svg = timelineSvg(t);
    expect(t.marks.map((m) => m.reference)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(markRects(svg, 'INC-2019-0001')[0]!.x).toBeLessThan(markRects(svg, 'INC-2020-0001')[0]!.x);
    expect(svg).toContain('Repeat within 365 days · both through Click2Gov');
    expect(t.repeats).toEqual([{ from: '2019-08-27', until: '2020-04-30', certainty: 'certain', references: ['INC-2019-0001', 'INC-2020-0001'], shared: 'Click2Gov' }]);
  });

  it.each([
    ['a year-only start', '2014', '2014-01-01', '2015-01-01'],
    ['a month-only start', '2020-04', '2020-04-01', '2020-05-01'],
  ])('GIVEN %s THEN it is a soft span over the whole year or month, not a bar at its first day', (_, start, from, to) => {
    const t = victimTimeline({ id: 2, name: 'V' }, [incident('INC-A', start), incident('INC-B', '2016-02-03')], 365);
    const { x } = timelineLayout(t);
    const [span] = markRects(timelineSvg(t), 'INC-A');
    expect(span).toMatchObject({ soft: true });
    expect(span!.x).toBeCloseTo(x(from), 0);
    expect(span!.x + span!.width).toBeCloseTo(x(to), 0);
  });

  it('GIVEN a year-only date within a year of another THEN the shading says possible, and the alt text says why', () => {
    const t = victimTimeline({ id: 3, name: 'V' }, [incident('INC-A', '2014'), incident('INC-B', '2015-06-10')], 365);
    expect(t.repeats[0]?.certainty).toBe('possible');
    expect(timelineSvg(t)).toContain('Possible repeat within 365 days');
    expect(timelineAlt(t)).toContain('INC-A: 2014 (start known only to the year).');
  });

  it('GIVEN one incident THEN one mark, no shading', () => {
    const t = victimTimeline({ id: 4, name: 'Solo' }, [incident('INC-S', '2021-03-04')], 365);
    const svg = timelineSvg(t, 'dark');
    expect(markRects(svg, 'INC-S')).toHaveLength(1);
    expect(t.repeats).toEqual([]);
    expect(svg).toContain('1 incident · 2021');
    expect(svg).toContain(TIMELINE_COLORS.dark.background);
  });

  it('GIVEN 50 incidents THEN 50 marks without labels, and the alt text names the newest ten', () => {
    const many = Array.from({ length: 50 }, (_, k) => incident(`INC-M-${k}`, `${2000 + Math.floor(k / 4)}-${String((k % 12) + 1).padStart(2, '0')}-10`, { vendor: 'X' }));
    const t = victimTimeline({ id: 5, name: 'Many' }, many, 365);
    const svg = timelineSvg(t);
    expect(svg.match(/<g><title>/g)).toHaveLength(50);
    expect(svg).not.toContain('>INC-M-0</text>');
    expect(timelineAlt(t)).toContain('40 older incidents not named here.');
    expect(timelineText(t).length).toBeLessThan(200);
  });

  it('GIVEN a name with markup THEN the SVG holds it as text', () => {
    const t = victimTimeline({ id: 6, name: '<script>&"x"' }, [incident('INC-X', '2020')], 365);
    expect(timelineSvg(t)).toContain('&lt;script&gt;&amp;&quot;x&quot;');
  });

  it('GIVEN Odessa THEN one line of text: a known start ▮, a month-only ▯', () => {
    expect(timelineText(odessa())).toBe('2019 ▮━━━━━━━ 2020 ▯');
  });
});

describe('the timeline picture of a victim, as PNG', () => {
  let t: Timeline;
  let png: PNG;
  beforeAll(async () => {
    t = odessa();
    png = PNG.sync.read(await renderTimelinePng(t, 'light'));
  });
  const pixel = (x: number, y: number) => {
    const at = (Math.round(y) * png.width + Math.round(x)) * 4;
    return `#${[...png.data.subarray(at, at + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  };

  it('GIVEN Odessa THEN 800 × 200, not blank', () => {
    expect([png.width, png.height]).toEqual([TIMELINE_SIZE.width, TIMELINE_SIZE.height]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(20);
  });

  it("GIVEN Odessa THEN each incident's bar is drawn at its dates' x, and not before", () => {
    const layout = timelineLayout(t);
    const bar = TIMELINE_COLORS.light.bar;
    const y = layout.barTop(layout.lanes[0]!) + 7;
    // 2019: known days, 27 August to 14 October; 2020: known from May to June (April and June only as months).
    expect(pixel((layout.x('2019-08-27') + layout.x('2019-10-15')) / 2, y)).toBe(bar);
    expect(pixel(layout.x('2019-08-27') - 4, y)).not.toBe(bar);
    expect(pixel((layout.x('2020-05-01') + layout.x('2020-06-01')) / 2, layout.barTop(layout.lanes[1]!) + 7)).toBe(bar);
    expect(pixel(layout.x('2020-04-01') - 4, layout.barTop(layout.lanes[1]!) + 7)).not.toBe(bar);
  });

  it('GIVEN the same timeline twice THEN the second is the cached picture', async () => {
    const first = await timelinePng(t, 'dark');
    expect(await timelinePng(t, 'dark')).toBe(first);
    expect(await timelinePng(t, 'light')).not.toBe(first);
  });
});

describe.each(backends)('the timeline in a lookup on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeAll(async () => {
    chat = await chatHarness(backend);
  });
  afterAll(() => chat.close());

  const odessaBlock = (m: Message) => m.blocks.find((b) => b.type === 'victim' && b.victim.name === 'City of Odessa');

  it('GIVEN /incident odessa in the shell THEN the verdict, then the timeline in one line, under the victim', async () => {
    const reply = await chat.say('odessa');
    if (reply.kind !== 'message') throw new Error('expected a message');
    const lines = renderForTerminal(reply.message, { color: false }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('City of Odessa'));
    expect(lines[at + 1]).toBe('  Repeat victim — 2 incidents within 365 days (INC-2019-0001 → INC-2020-0001, 7 months apart), both through Click2Gov');
    expect(lines[at + 2]).toBe('  2019 ▮━━━━━━━ 2020 ▯');
  });

  it('GIVEN an AMBER incident of another workspace THEN a viewer who may not see it finds it neither drawn nor told', async () => {
    await chat.ledger.report({ victim: { name: 'City of Odessa', country: 'US', region: 'Texas', city: 'Odessa' }, startDate: '2021-01-05', summary: 'A secret third breach.', vendor: 'Click2Gov', tlp: 'amber' },
      { platform: 'slack', workspace: 'T-OTHER', user: 'someone', userId: 'U-SOMEONE' }, { alerts: false });
    // A Slack channel of another workspace, at the default clearance (GREEN).
    const reply = await chat.say('odessa', { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'ana' }, { platform: 'slack', workspace: 'T1', channelId: 'C1' });
    if (reply.kind !== 'message') throw new Error('expected a message');
    const block = odessaBlock(reply.message);
    if (block?.type !== 'victim' || !block.timeline) throw new Error('expected Odessa with a timeline');
    expect(block.timeline.marks.map((m) => m.reference)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(timelineSvg(block.timeline)).not.toMatch(/INC-2021/);
    expect(timelineAlt(block.timeline)).not.toMatch(/INC-2021|2021/);
    // The operator's own view (the command line's) does draw it.
    const all = await chat.ledger.victim(block.victim.id, { offset: 0, limit: 50 });
    expect(victimTimeline(all!.victim, all!.incidents, 365).marks).toHaveLength(3);
  });
});
