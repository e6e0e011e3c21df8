/**
 * Splits command text into words, keeping "quoted phrases" together:
 * `on sector:"local government" daily` → ['on', 'sector:local government', 'daily'].
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/(\S*?)"([^"]*)"|(\S+)/g)) {
    words.push(match[3] ?? `${match[1] ?? ''}${match[2] ?? ''}`);
  }
  return words;
}

/** `key:value` words as a record (keys lower-cased), and the other words in order. */
export function keyedWords(text: string): { keyed: Record<string, string>; plain: string[] } {
  const keyed: Record<string, string> = {};
  const plain: string[] = [];
  for (const word of splitWords(text)) {
    const m = /^([a-z]+):(.+)$/i.exec(word);
    if (m) keyed[m[1]!.toLowerCase()] = m[2]!;
    else plain.push(word);
  }
  return { keyed, plain };
}
