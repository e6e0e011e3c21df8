import { cutWithinPairs } from '../presentation/bidi-isolation.js';

/**
 * Shortens text to at most `max` characters without cutting a word: the cut falls
 * on the last whitespace before the limit and ends with "…". A single word longer
 * than the limit (a long URL) is the only thing ever cut inside.
 *
 * @example
 *   fitText('Click2Gov portal breached again', 20) // 'Click2Gov portal…'
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const room = cutWithinPairs(text, max - 1);
  const lastSpace = room.search(/\s\S*$/);
  return `${lastSpace > 0 ? cutWithinPairs(text, max - 1, room.slice(0, lastSpace).trimEnd().length) : room}…`;
}

/**
 * The first `max` UTF-16 units of a text, one fewer when the cut would split an
 * emoji or other astral character: a lone surrogate makes the platforms refuse
 * the whole payload. An isolate or override the cut splits is closed within `max`.
 */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : cutWithinPairs(text, max);
}

/**
 * Splits items into pages whose rendered size stays within `max`, keeping items
 * whole. An item alone bigger than `max` is a page of its own, for the caller to fit.
 */
export function pack<T>(items: T[], size: (item: T) => number, max: number): T[][] {
  const pages: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const s = size(item);
    if (current.length > 0 && used + s > max) {
      pages.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += s;
  }
  if (current.length > 0) pages.push(current);
  return pages;
}

/**
 * What a person typed after `/incident` or into a type-ahead, made safe to query
 * with: control characters (a NUL, which PostgreSQL cannot take in text; terminal
 * escapes) become spaces, and half of an emoji pair becomes U+FFFD.
 */
export function typedText(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ').replace(/\p{Cs}/gu, '\uFFFD');
}
