import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import { normalizeVictimName, spellingVariants } from '../../src/incidents/victim-name.js';
import { backends, freshDatabase } from '../support/databases.js';

describe('other spellings of a public body\'s name', () => {
  it.each([
    ['Departamento de Salud de Puerto Rico', ['department of health of puerto rico', 'puerto rico department of health']],
    ['Departamento de Hacienda', ['department of treasury']],
    ['Department of Health of Puerto Rico', ['puerto rico department of health']],
    ['Office of the Governor of Texas', ['texas office of the governor']],
    // Already place first, or not a public body: nothing else to try.
    ['Puerto Rico Department of Health', []],
    ['University of Texas', []],
    ['Bank of America', []],
    // Spanish words in other names are left as they are.
    ['La Quinta Inns', []],
    ['El Paso County', []],
    ['Hospital de la Concepción', []],
    ['Municipio de Ponce', ['municipality of ponce']],
    ['Departamento de la Familia de Puerto Rico', ['department of the family of puerto rico', 'puerto rico department of the family']],
    ['Departamento de Recreación y Deportes', ['department of recreacion and deportes']],
    ['Department of Health of Nowhere', []],
    ['Department', []],
  ])('GIVEN %s THEN %o', (name, variants) => {
    expect(spellingVariants(normalizeVictimName(name).normalized)).toEqual(variants);
  });
});

describe.each(backends)('a body named in two languages, on %s', (backend) => {
  let database: LedgerDatabase;
  beforeAll(async () => {
    database = await freshDatabase(backend);
  });
  afterAll(() => database.close());

  const report = (name: string, startDate: string, region = 'PR', isNew = false) => createLedger(database.db, { windowDays: 365 })
    .report({ victim: { name, country: 'US', region, isNew }, summary: 'Unknown (Desktop Computer)', startDate, impact: ['confidentiality'] },
      { platform: 'cli', workspace: null, user: 'analyst' }, { alerts: false });

  it('GIVEN the Spanish name first THEN the English name finds it, and so does the Spanish again', async () => {
    const first = await report('Departamento de Educación de Puerto Rico', '2010-03-14');
    expect(first.victimCreated).toBe(true);
    const english = await report('Puerto Rico Department of Education', '2010-09-03');
    expect([english.victim.id, english.victimCreated, english.verdict.isRepeat]).toEqual([first.victim.id, false, true]);
    const again = await report('Departamento de Educacion de Puerto Rico', '2011-01-20');
    expect(again.victim.id).toBe(first.victim.id);
  });

  it('GIVEN the English name first THEN the Spanish name finds it; in another state it is another body', async () => {
    // New, though near the Department of Education above (the person confirmed it).
    const first = await report('Puerto Rico Department of Labor', '2012-05-01', 'PR', true);
    expect((await report('Departamento del Trabajo de Puerto Rico', '2012-11-01')).victim.id).toBe(first.victim.id);
    expect((await report('Departamento del Trabajo de Puerto Rico', '2012-11-02', 'FL')).victim.id).not.toBe(first.victim.id);
  });
});
