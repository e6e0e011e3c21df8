import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import { timelineSvg } from './timeline-svg.js';
import type { TimelineTheme } from './timeline-svg.js';
import type { Timeline } from './victim-timeline.js';

// The one font the picture is drawn with, shipped beside the reference data (its
// licence is next to it): system fonts are never loaded, so a fresh machine draws
// the same picture, and no font lookup scans the disk on each render.
const FONT_FILE = fileURLToPath(new URL('../../reference/fonts/DejaVuSans-subset.ttf', import.meta.url));

/** Pictures kept: a lookup's few victims, an alert's, over and over; each is some 10–30 KB. */
const CACHE_SIZE = 200;
const cache = new Map<string, Promise<Buffer>>();

/**
 * The timeline as a PNG (800 × 200), drawn off the event loop by resvg. Kept per
 * victim and what is drawn (the timeline's key covers its incidents' revisions) and
 * theme, so a lookup repeated before the ledger changes draws nothing again.
 */
export function timelinePng(t: Timeline, theme: TimelineTheme = 'light'): Promise<Buffer> {
  const key = `${t.key}:${theme}`;
  const cached = cache.get(key);
  if (cached) {
    // Most recently used last: the oldest goes first when the cache is full.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const drawn = renderTimelinePng(t, theme);
  cache.set(key, drawn);
  // A failed drawing is not remembered: the next lookup tries again.
  drawn.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return drawn;
}

/** Draws the picture, never from the cache (the bench measures this). */
export async function renderTimelinePng(t: Timeline, theme: TimelineTheme = 'light'): Promise<Buffer> {
  const image = await renderAsync(timelineSvg(t, theme), {
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
    // Every shape is an upright rectangle or line: crisp edges cost less and look the same; text keeps its smoothing.
    shapeRendering: 1,
    logLevel: 'off',
  });
  return image.asPng();
}
