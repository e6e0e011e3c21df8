import fc from 'fast-check';

/**
 * What a hostile or careless person might type into any field: Slack and Discord
 * mention and broadcast syntax, link syntax of both, markdown, bidi overrides,
 * zero-width joiners, terminal escapes, entities, and surrogate halves.
 */
export const HOSTILE_WORDS = [
  '<!channel>', '<!here>', '<!everyone>', '<@U123>', '<#C123>', '<#C123|soc>', '<!subteam^S123>', '<!subteam^S123|@sec>', '<!date^1392734382^{date}|x>',
  '@everyone', '@here', '@channel', '<@123>', '<@&123>', '<@!123>', '<#123>', '</incident:1>', '<t:1700000000:R>', '<:emoji:1>',
  '](http://evil)', '[click](http://evil.example)', '<http://evil|click>', '<https://evil.example>', '|', '<', '>', '&', '&lt;', '&amp;', '&#60;',
  '`', '```', '*', '_', '~~', '||', '\\', '\\\\', '# ', '-# ', '> ', '\u202e', '\u2066', '\u200d', '\u200b', '\ufeff',
  '\x1b[2J', '\x1b]0;owned\x07', '\x9b31m', '\r', '\n', '\t', '\0', '\ud83d', '\ude00', '👩‍💻', 'الهجوم', 'שלום',
] as const;

/** Arbitrary text, biased towards the hostile dictionary; sometimes long; lone surrogates included. */
export const rawHostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_WORDS), fc.string({ maxLength: 6 }), fc.constant(' ')), { maxLength: 30 }).map((p) => p.join('')), weight: 5 },
  { arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_WORDS), fc.integer({ min: 50, max: 400 })).map(([w, n]) => `${w} `.repeat(n)), weight: 1 },
);

/** What the ledger can hold: lone surrogates are refused on the way in, so renderers never see them. */
export const hostileText: fc.Arbitrary<string> = rawHostileText.map((t) => t.replace(/\p{Cs}/gu, '\ufffd'));

/** Hostile text that is never empty (names, summaries). */
export const hostileName = hostileText.map((t) => (t.trim() === '' ? `x${t}` : t));

/** A source URL the submission schema would accept, with hostile characters where a URL allows them. */
export const hostileUrl: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('https://', 'http://'),
  fc.constantFrom('example.org', 'evil.example', 'xn--80ak6aa92e.com'),
  fc.array(fc.constantFrom('/', 'a', '|', '>', '<', ')', '(', ']', '[', '\\', '&', '&amp;', '%7C', '`', '*', '_', '@everyone', '<@123>', '<!channel>', '?q=', '#'), { maxLength: 12 }),
).map(([scheme, host, path]) => `${scheme}${host}/${path.join('')}`);
