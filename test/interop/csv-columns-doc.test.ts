import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/interop/csv.js';

// The CSV layout is a contract with spreadsheets and other tools: docs/import-export.md
// explains every column the export writes, in its order, and no column it does not.
describe('the CSV columns in docs/import-export.md', () => {
  it('GIVEN CSV_COLUMNS THEN the table of the CSV section names each, in order, and no other', async () => {
    const docs = await readFile(new URL('../../docs/import-export.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## CSV'), docs.indexOf('\n## ', docs.indexOf('## CSV') + 1));
    const table = section.slice(section.indexOf('| column |'));
    const documented = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z_]+)`/g)].map((c) => c[1]!));
    expect(documented).toEqual([...CSV_COLUMNS]);
  });
});
