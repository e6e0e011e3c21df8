import { describe, expect, it } from 'vitest';
import { canonicalJson, contentKey } from '../../src/incidents/submission-key.js';

// `breachdesk report` run twice with the same JSON records once: the key of a
// submission is its content, whatever the order of its keys or its spacing.
describe('the key of a submission from its content', () => {
  it('GIVEN the same object with keys in another order, at any depth THEN the same key', () => {
    const a = { victim: { name: 'Port of Tillamook Bay', isNew: true }, startDate: '2023-05', sources: ['https://a.example', 'https://b.example'] };
    const b = JSON.parse('{ "sources": ["https://a.example", "https://b.example"], "startDate": "2023-05", "victim": { "isNew": true, "name": "Port of Tillamook Bay" } }') as unknown;
    expect(canonicalJson(b)).toBe('{"sources":["https://a.example","https://b.example"],"startDate":"2023-05","victim":{"isNew":true,"name":"Port of Tillamook Bay"}}');
    expect(contentKey(b)).toBe(contentKey(a));
    expect(contentKey(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('GIVEN any difference in a value, the order of a list, or a flag THEN another key', () => {
    const base = { victim: { name: 'Gresham Water Bureau' }, startDate: '2022-01', sources: ['https://a.example', 'https://b.example'] };
    const keys = [
      base,
      { ...base, startDate: '2022-02' },
      { ...base, sources: ['https://b.example', 'https://a.example'] },
      { ...base, newIncident: true },
      { ...base, victim: { name: 'Gresham Water Bureau ' } },
    ].map(contentKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
