import { describe, expect, it } from 'vitest';
import { fitText, pack } from '../../src/chat/text.js';

describe('fitText', () => {
  it.each([
    ['Click2Gov portal breached again', 20, 'Click2Gov portal…'],
    ['short', 20, 'short'],
    ['exactly twenty chars', 20, 'exactly twenty chars'],
    ['https://example.org/a/very/long/path/without/spaces', 20, 'https://example.org…'],
  ])('GIVEN %j at %i THEN %j', (text, max, expected) => {
    expect(fitText(text, max)).toBe(expected);
  });

  it('GIVEN many texts and limits THEN never longer than the limit, and a cut ends at a whole word', () => {
    const words = 'the city of odessa click2gov portal was breached again in april twenty twenty'.split(' ');
    for (let n = 1; n < 400; n++) {
      const text = Array.from({ length: n % 60 }, (_, i) => words[(i * 7 + n) % words.length]).join(' ');
      for (const max of [5, 13, 40, 100]) {
        const fitted = fitText(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        if (fitted !== text && fitted.length > 1) {
          const kept = fitted.slice(0, -1);
          expect(text.startsWith(kept)).toBe(true);
          // Cut at a word boundary, unless the first word alone is longer than the room.
          const atBoundary = text[kept.length] === ' ' || text[kept.length] === undefined;
          expect(atBoundary || text.split(' ')[0]!.length >= max - 1).toBe(true);
        }
      }
    }
  });
});

describe('pack', () => {
  it('GIVEN items and a budget THEN pages keep items whole and within the budget', () => {
    expect(pack([3, 4, 2, 5, 1, 9], (n) => n, 7)).toEqual([[3, 4], [2, 5], [1], [9]]);
    expect(pack([], (n: number) => n, 7)).toEqual([]);
  });
});
