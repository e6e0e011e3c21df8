import { dayNumber, daysBetween } from '../incidents/partial-date.js';
import { isPartial, markUntil, sharedWords } from './victim-timeline.js';
import type { Timeline, TimelineMark } from './victim-timeline.js';

// A victim's timeline as an SVG document: pure, so it is tested as text and drawn to
// PNG elsewhere (timeline-png.ts). Sized for a chat image (800 × 200). Honest about
// what is not known: a start known only to the month or the year is a soft span over
// the whole month or year, never a bar at its first day.

export type TimelineTheme = 'light' | 'dark';

export const TIMELINE_SIZE = { width: 800, height: 200 } as const;

/** Colours by theme; `bar` is what a test looks for at a mark's x. */
export const TIMELINE_COLORS = {
  light: { background: '#ffffff', text: '#1d2433', muted: '#5b6475', axis: '#8a93a6', bar: '#c2410c', repeat: '#d97706' },
  dark: { background: '#1e1f22', text: '#e6e8ee', muted: '#a3a9b7', axis: '#6b7280', bar: '#fb923c', repeat: '#f59e0b' },
} as const;

const PAD = { left: 28, right: 28 };
const AXIS_Y = 150;
const BAR_HEIGHT = 14;
/** Bar tops of the lanes, lowest first: marks that would overlap go up a lane. */
const LANES = [122, 94, 66] as const;
/** Labels only while they fit; past this the alt text names the incidents. */
const LABELLED_MAX = 12;
const LABEL_WIDTH = 88;
const FONT = `font-family="DejaVu Sans"`;

/** Where things are drawn: the x of a day, the lane of each mark. */
export interface TimelineLayout {
  from: string;
  until: string;
  x: (iso: string) => number;
  lanes: number[];
  barTop: (lane: number) => number;
}

export function timelineLayout(t: Timeline): TimelineLayout {
  const firstYear = Number((t.marks[0]?.started.on ?? '2000-01-01').slice(0, 4));
  const lastYear = Math.max(firstYear, ...t.marks.map((m) => Number(markUntil(m).slice(0, 4))));
  const from = `${firstYear}-01-01`;
  const until = `${lastYear + 1}-01-01`;
  const span = daysBetween(from, until);
  const inner = TIMELINE_SIZE.width - PAD.left - PAD.right;
  const x = (iso: string) => PAD.left + (daysBetween(from, iso) / span) * inner;
  const labelled = t.marks.length <= LABELLED_MAX;
  const laneEnds: number[] = LANES.map(() => -Infinity);
  const lanes = t.marks.map((m) => {
    const start = x(m.started.on);
    const end = Math.max(x(nextDay(markUntil(m))), start + 3, labelled ? start + LABEL_WIDTH : 0);
    let lane = laneEnds.findIndex((e) => e + 2 < start);
    if (lane < 0) lane = laneEnds.indexOf(Math.min(...laneEnds));
    laneEnds[lane] = end;
    return lane;
  });
  return { from, until, x, lanes, barTop: (lane) => LANES[lane] ?? LANES[0] };
}

/** The timeline as an SVG document, in a theme. */
export function timelineSvg(t: Timeline, theme: TimelineTheme = 'light'): string {
  const c = TIMELINE_COLORS[theme];
  const { width, height } = TIMELINE_SIZE;
  const layout = timelineLayout(t);
  const { x } = layout;
  const parts: string[] = [];
  const n = t.marks.length;
  const [oldest, newest] = [t.marks[0]?.started.on.slice(0, 4), t.marks[n - 1]?.started.on.slice(0, 4)];
  const years = !oldest ? '' : oldest === newest ? ` · ${oldest}` : ` · ${oldest}–${newest}`;
  parts.push(`<rect width="${width}" height="${height}" fill="${c.background}"/>`);
  parts.push(text(PAD.left, 26, fitName(t.victimName), { size: 16, fill: c.text }));
  parts.push(text(width - PAD.right, 26, `${n} incident${n === 1 ? '' : 's'}${years}${t.omitted ? ` (${t.omitted} older not drawn)` : ''}`, { size: 12, fill: c.muted, anchor: 'end' }));

  // Repeat windows first, under the marks.
  for (const [k, s] of t.repeats.entries()) {
    const left = x(s.from);
    const w = Math.max(4, x(nextDay(s.until)) - left);
    // A possible repeat is fainter and dashed: only partial dates put it in the window. (A hatch pattern cost a third of the drawing.)
    const fill = s.certainty === 'certain' ? `fill="${c.repeat}" fill-opacity="0.16"` : `fill="${c.repeat}" fill-opacity="0.07" stroke="${c.repeat}" stroke-opacity="0.6" stroke-dasharray="4 3"`;
    parts.push(`<rect x="${num(left)}" y="40" width="${num(w)}" height="${AXIS_Y - 40}" ${fill}/>`);
    const shared = sharedWords(s);
    const words = `${s.certainty === 'certain' ? 'Repeat' : 'Possible repeat'} within ${t.windowDays} days${shared ? ` · ${shared}` : ''}`;
    // Spans that would crowd each other keep their shading and lose their words.
    if (t.repeats.length <= 4 || k === t.repeats.length - 1) {
      const anchorRight = left + 300 > width - PAD.right;
      parts.push(text(anchorRight ? Math.min(left + w, width - PAD.right) - 4 : left + 4, 53, words, { size: 11, fill: c.text, anchor: anchorRight ? 'end' : 'start' }));
    }
  }

  // The axis, with years.
  parts.push(`<line x1="${PAD.left}" y1="${AXIS_Y}" x2="${width - PAD.right}" y2="${AXIS_Y}" stroke="${c.axis}" stroke-width="1"/>`);
  const first = Number(layout.from.slice(0, 4));
  const last = Number(layout.until.slice(0, 4));
  const step = [1, 2, 5, 10, 20, 50].find((s) => (last - first) / s <= 12) ?? 100;
  for (let year = first; year <= last; year += 1) {
    const tx = x(`${year}-01-01`);
    parts.push(`<line x1="${num(tx)}" y1="${AXIS_Y}" x2="${num(tx)}" y2="${AXIS_Y + (year % step === 0 ? 6 : 3)}" stroke="${c.axis}" stroke-width="1"/>`);
    // A year's label sits in the middle of its year; the last tick only closes the axis.
    if (year < last && year % step === 0) parts.push(text(x(`${year}-07-02`), AXIS_Y + 19, String(year), { size: 11, fill: c.muted, anchor: 'middle' }));
  }

  // The incidents: a bar where the dates are known, a soft span where they are not.
  for (const [k, m] of t.marks.entries()) {
    const top = layout.barTop(layout.lanes[k]!);
    parts.push(markShapes(m, top, x, c.bar));
    if (n <= LABELLED_MAX) parts.push(text(x(m.started.on), top - 4, m.reference, { size: 11, fill: c.text }));
  }

  // The legend says what the shapes mean.
  const ly = height - 12;
  parts.push(`<rect x="${PAD.left}" y="${ly - 8}" width="14" height="9" fill="${c.bar}"/>`);
  parts.push(text(PAD.left + 19, ly, 'dates known', { size: 10, fill: c.muted }));
  parts.push(`<rect x="${PAD.left + 110}" y="${ly - 8}" width="14" height="9" fill="${c.bar}" fill-opacity="0.3" stroke="${c.bar}" stroke-dasharray="2 2"/>`);
  parts.push(text(PAD.left + 129, ly, 'only the month or year known: drawn as all of it', { size: 10, fill: c.muted }));
  parts.push(`<rect x="${PAD.left + 430}" y="${ly - 8}" width="14" height="9" fill="${c.repeat}" fill-opacity="0.3"/>`);
  parts.push(text(PAD.left + 449, ly, `repeat within ${t.windowDays} days`, { size: 10, fill: c.muted }));

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** A mark: the start's uncertain span soft, the known stretch solid, an uncertain end soft. */
function markShapes(m: TimelineMark, top: number, x: (iso: string) => number, color: string): string {
  const soft = (from: number, to: number) =>
    `<rect x="${num(from)}" y="${top}" width="${num(Math.max(3, to - from))}" height="${BAR_HEIGHT}" fill="${color}" fill-opacity="0.3" stroke="${color}" stroke-width="1" stroke-dasharray="3 2"/>`;
  const solid = (from: number, to: number) => `<rect x="${num(from)}" y="${top}" width="${num(Math.max(3, to - from))}" height="${BAR_HEIGHT}" fill="${color}"/>`;
  const shapes: string[] = [];
  const startEnd = x(nextDay(m.startedUntil));
  if (isPartial(m)) shapes.push(soft(x(m.started.on), startEnd));
  const knownFrom = isPartial(m) ? startEnd : x(m.started.on);
  const endKnown = !m.ended || m.ended.precision === 'day';
  const knownTo = m.ended ? x(endKnown ? nextDay(m.ended.on) : m.ended.on) : knownFrom;
  if (knownTo > knownFrom || !isPartial(m)) shapes.push(solid(knownFrom, knownTo));
  if (m.ended && !endKnown && markUntil(m) > m.startedUntil) shapes.push(soft(Math.max(knownFrom, x(m.ended.on)), x(nextDay(markUntil(m)))));
  return `<g><title>${escapeXml(m.reference)}</title>${shapes.join('')}</g>`;
}

function text(x: number, y: number, content: string, o: { size: number; fill: string; anchor?: 'start' | 'middle' | 'end' }): string {
  return `<text x="${num(x)}" y="${y}" ${FONT} font-size="${o.size}" fill="${o.fill}"${o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : ''}>${escapeXml(content)}</text>`;
}

/** Long names give way to the count on the right. */
function fitName(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** People's text inside our markup: escaped, and stripped of what XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function num(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

function nextDay(iso: string): string {
  return new Date((dayNumber(iso) + 1) * 86_400_000).toISOString().slice(0, 10);
}
