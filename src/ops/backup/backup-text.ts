// What backup, restore and move print: where, which schema, how many rows of each kind.

/** `  incidents  12` lines, names padded, tables in the order given. */
export function rowCounts(rows: Record<string, number>, checked = false): string[] {
  const width = Math.max(0, ...Object.keys(rows).map((t) => t.length));
  return Object.entries(rows).map(([table, n]) => `  ${table.padEnd(width)}  ${String(n).padStart(6)}${checked ? '  checksum matches' : ''}`);
}

export function totalRows(rows: Record<string, number>): number {
  return Object.values(rows).reduce((a, b) => a + b, 0);
}

/**
 * The line to put in the settings: the URL as given, its password (if any) left for
 * the person to fill in, since what is printed ends up in terminals and logs.
 */
export function databaseUrlLine(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) return `DATABASE_URL=${url}`;
  const at = url.indexOf('@');
  const scheme = url.indexOf('://') + 3;
  return `DATABASE_URL=${url.slice(0, scheme)}${parsed.username}:<password>${url.slice(at)}`;
}
