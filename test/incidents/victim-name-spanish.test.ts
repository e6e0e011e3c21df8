import { describe, expect, it } from 'vitest';
import { normalizeVictimName, spellingVariants } from '../../src/incidents/victim-name.js';

// Every word of the Spanish list and every kind of public body, one by one (the
// mutants of spellingVariants' word lists); victim-name-spellings.test.ts shows what
// they are for.
describe('Spanish words of a public body\'s name', () => {
  it.each([
    ['departamento', 'department'], ['salud', 'health'], ['de', 'of'], ['del', 'of'], ['hacienda', 'treasury'], ['educacion', 'education'],
    ['justicia', 'justice'], ['policia', 'police'], ['trabajo', 'labor'], ['familia', 'family'], ['vivienda', 'housing'],
    ['transportacion', 'transportation'], ['oficina', 'office'], ['administracion', 'administration'], ['autoridad', 'authority'],
    ['gobierno', 'government'], ['municipio', 'municipality'], ['la', 'the'], ['el', 'the'], ['los', 'the'], ['las', 'the'], ['y', 'and'],
  ])('GIVEN "departamento %s" THEN "department %s"', (spanish, english) => {
    expect(spellingVariants(`departamento ${spanish}`)).toEqual([`department ${english}`]);
  });
});

describe('a public body with its place in front', () => {
  it.each([
    ['Departamento de Justicia de Puerto Rico', ['department of justice of puerto rico', 'puerto rico department of justice']],
    ['Policía de Puerto Rico', ['police of puerto rico', 'puerto rico police']],
    ['Oficina del Contralor de Puerto Rico', ['office of contralor of puerto rico', 'puerto rico office of contralor']],
    ['Administración de Servicios Médicos de Puerto Rico', ['administration of servicios medicos of puerto rico', 'puerto rico administration of servicios medicos']],
    ['Autoridad de Energía Eléctrica de Puerto Rico', ['authority of energia electrica of puerto rico', 'puerto rico authority of energia electrica']],
    ['Gobierno de Puerto Rico', ['government of puerto rico', 'puerto rico government']],
    ['Municipio de Guatemala', ['municipality of guatemala', 'guatemala municipality']],
    // A place that is only a country, in English already.
    ['Ministry of Health of Ukraine', ['ukraine ministry of health']],
    ['Administration of Children and Families of Texas', ['texas administration of children and families']],
    // A body whose name has no place after "of", or no body before it.
    ['Authority of Energy', []],
    ['Of Puerto Rico', []],
    ['Hacienda of Puerto Rico', []],
  ])('GIVEN %j THEN %o', (name, variants) => {
    expect(spellingVariants(normalizeVictimName(name).normalized)).toEqual(variants);
  });
});
